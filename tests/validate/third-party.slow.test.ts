// Validation of implementations nobody here wrote, with their verdicts recorded: scikit-learn's
// LogisticRegression and SVC (Debian's python3-sklearn), libsvm-js and ml-logistic-regression (npm),
// each through its bundled adapter in implementations/ (the same ones `run --impl` times). A change
// in a verdict is a change in our checks or in their code, and must be looked at.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { modelbench } from '../helpers/cli.js';

interface Report {
  implementation: { name: string };
  outcomes: { check: string; status: string; detail: string }[];
}

function validate(model: string, target: string, env: Record<string, string> = {}): { code: number | null; report: Report; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));
  // The implementation's environment is cleared: settings reach it only through --env.
  const r = modelbench(['validate', '--model', model, '--impl', target, '--report', dir, '--quiet', ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`])]);
  const file = path.join(dir, `validate-${model}.json`);
  assert.ok(fs.existsSync(file), `no report written: ${r.stderr}`);
  assert.ok(fs.existsSync(path.join(dir, `validate-${model}.csv`)));
  return { code: r.code, report: JSON.parse(fs.readFileSync(file, 'utf8')) as Report, stderr: r.stderr };
}

function verdicts(report: Report): Record<string, string> {
  return Object.fromEntries(report.outcomes.map((o) => [o.check, o.status]));
}

const SKLEARN_LOGREG = '/usr/bin/python3 implementations/sklearn_logreg.py';
const SKLEARN_SVC = '/usr/bin/python3 implementations/sklearn_svm.py svc';
const ALL_LOGREG = ['logreg-optimum-breast-cancer', 'logreg-optimum-raw-breast-cancer', 'logreg-optimum-generated', 'logreg-no-penalty', 'logreg-proba-consistent', 'logreg-extreme-inputs', 'logreg-deterministic', 'logreg-label-flip', 'logreg-row-permutation', 'logreg-intercept-unpenalised'];
const ALL_SVM = ['svm-optimum-linear', 'svm-optimum-rbf', 'svm-optimum-raw-breast-cancer', 'svm-decision-consistent', 'svm-kkt', 'svm-hard-margin', 'svm-no-penalty', 'svm-rbf-gamma'];
/** libsvm's float32 kernel cache makes the unscaled problem indefinite: it stops 2.2% above the optimum. */
const LIBSVM_SHORTFALL = { 'svm-optimum-raw-breast-cancer': 'failed' };
const allPassed = (checks: string[]) => Object.fromEntries(checks.map((c) => [c, 'passed']));

describe('third-party implementations', () => {
  it('scikit-learn LogisticRegression(lbfgs): every check but the ill-conditioned optimum, where lbfgs stops 1.6e-4 above J*', (ctx) => {
    if (!fs.existsSync('/usr/bin/python3')) return ctx.skip('no /usr/bin/python3');
    const { code, report } = validate('logreg', SKLEARN_LOGREG);
    assert.equal(report.implementation.name, 'scikit-learn LogisticRegression(lbfgs)');
    assert.deepEqual(verdicts(report), { ...allPassed(ALL_LOGREG), 'logreg-optimum-raw-breast-cancer': 'failed' });
    assert.equal(code, 1);
  });

  it('scikit-learn SVC: every check but the unscaled optimum, where it stops 2.2% above our certified optimum', (ctx) => {
    if (!fs.existsSync('/usr/bin/python3')) return ctx.skip('no /usr/bin/python3');
    const { code, report } = validate('svm', SKLEARN_SVC);
    assert.deepEqual(verdicts(report), { ...allPassed(ALL_SVM), ...LIBSVM_SHORTFALL });
    assert.match(report.outcomes.find((o) => o.check === 'svm-optimum-raw-breast-cancer')!.detail, /relative excess 2\.2\de-2/);
    assert.equal(code, 1);
  });

  it('libsvm-js (libsvm 3.22 in WebAssembly): as libsvm, every check but the unscaled optimum', () => {
    const { code, report } = validate('svm', 'implementations/libsvm-js.mjs');
    assert.deepEqual(verdicts(report), { ...allPassed(ALL_SVM), ...LIBSVM_SHORTFALL });
    assert.equal(code, 1);
  });

  it('ml-logistic-regression: fails the optimum, no-penalty and intercept checks (no intercept, no penalty, fixed-step gradient ascent), passes the rest', () => {
    const { code, report } = validate('logreg', 'implementations/ml-logistic-regression.mjs', { ML_LOGREG_STEPS: '5000' });
    const failed = ['logreg-optimum-breast-cancer', 'logreg-optimum-raw-breast-cancer', 'logreg-optimum-generated', 'logreg-no-penalty', 'logreg-intercept-unpenalised'];
    assert.deepEqual(verdicts(report), { ...allPassed(ALL_LOGREG), ...Object.fromEntries(failed.map((c) => [c, 'failed'])) });
    assert.equal(code, 1);
  });
});
