// modelbench/vitest as a user meets it: the package is packed (npm pack), installed into a copy of
// examples/vitest-consumer in a temporary folder, and that project's own vitest runs the conformance
// checks on ml-logistic-regression and libsvm-js. The verdicts must be validate's (third-party.test.ts),
// and a deliberately broken adapter dropped into the project must fail there too.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { REPO } from '../helpers/data.js';

interface JsonReport {
  testResults: { name: string; assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

const EXAMPLE = path.join(REPO, 'examples/vitest-consumer');
const LOGREG_FAILS = ['logreg-optimum-breast-cancer', 'logreg-optimum-raw-breast-cancer', 'logreg-optimum-generated', 'logreg-no-penalty', 'logreg-intercept-unpenalised'];
const LOGREG_PASSES = ['logreg-proba-consistent', 'logreg-extreme-inputs', 'logreg-deterministic', 'logreg-label-flip', 'logreg-row-permutation'];
const SVM_PASSES = ['svm-optimum-linear', 'svm-optimum-rbf', 'svm-decision-consistent', 'svm-kkt', 'svm-hard-margin', 'svm-rbf-gamma'];

/** The penalised-intercept twin of the float64 reference (tests/validate/broken): caught by logreg-intercept-unpenalised. */
const BROKEN_TEST = `import { describeConformance } from 'modelbench/vitest';

await describeConformance({ model: 'logreg', impl: new URL('../adapters/logreg-penalised-intercept.mjs', import.meta.url) });
`;

function results(report: JsonReport, file: string): Record<string, { status: string; message: string }> {
  const entry = report.testResults.find((r) => path.basename(r.name) === file);
  assert.ok(entry, `no results for ${file} in ${report.testResults.map((r) => r.name).join(', ')}`);
  return Object.fromEntries(entry.assertionResults.map((a) => [a.title.replace(/ \[expected failure: .*\]$/, ''), { status: a.status, message: a.failureMessages.join('\n') }]));
}

describe('modelbench/vitest in a project of its own (examples/vitest-consumer)', () => {
  let report: JsonReport;
  let exitCode: number | null;
  let output: string;

  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-consumer-'));
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO, encoding: 'utf8' })) as { filename: string }[];
    const tarball = path.join(dir, packed[0].filename);
    const project = path.join(dir, 'project');
    fs.cpSync(EXAMPLE, project, { recursive: true, filter: (src) => !src.includes('node_modules') });
    for (const f of ['float64-logreg.mjs', 'logreg-penalised-intercept.mjs']) fs.copyFileSync(path.join(REPO, 'tests/validate/broken', f), path.join(project, 'adapters', f));
    fs.writeFileSync(path.join(project, 'tests/broken.test.ts'), BROKEN_TEST);
    // --prefer-offline: the packages are in npm's cache from this checkout's own install.
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-save', tarball], { cwd: project, stdio: 'pipe' });
    const json = path.join(dir, 'report.json');
    const run = spawnSync('npx', ['vitest', 'run', '--reporter=json', `--outputFile=${json}`], { cwd: project, encoding: 'utf8', env: { ...process.env, ML_LOGREG_STEPS: '5000', CI: '1' } });
    exitCode = run.status;
    output = `${run.stdout}\n${run.stderr}`;
    assert.ok(fs.existsSync(json), `vitest wrote no report: ${output.slice(-2000)}`);
    report = JSON.parse(fs.readFileSync(json, 'utf8')) as JsonReport;
  });

  it('libsvm-js passes every SVM check, one test per check, as under validate', () => {
    const r = results(report, 'libsvm-js.test.ts');
    for (const check of SVM_PASSES) assert.equal(r[check]?.status, 'passed', `${check}: ${r[check]?.message}`);
  });

  it('ml-logistic-regression fails the five checks it fails under validate (declared expected failures) and passes the rest', () => {
    const r = results(report, 'ml-logistic-regression.test.ts');
    // A declared failure passes when the check fails as declared; had it passed or errored, the test would fail.
    for (const check of [...LOGREG_FAILS, ...LOGREG_PASSES]) assert.equal(r[check]?.status, 'passed', `${check}: ${r[check]?.message}`);
    const titles = report.testResults.flatMap((t) => t.assertionResults.map((a) => a.title));
    for (const check of LOGREG_FAILS) assert.ok(titles.some((t) => t.startsWith(`${check} [expected failure: `)), `${check} is not shown as an expected failure`);
  });

  it('a broken adapter (penalised intercept) fails the check that catches it, and the run fails', () => {
    const r = results(report, 'broken.test.ts');
    assert.equal(r['logreg-intercept-unpenalised']?.status, 'failed');
    assert.match(r['logreg-intercept-unpenalised'].message, /logreg-intercept-unpenalised failed/);
    assert.equal(r['logreg-proba-consistent']?.status, 'passed');
    assert.equal(exitCode, 1, output.slice(-2000));
  });
});
