// The broken-implementation catalogue: every planted bug is caught by the check named beside it, and
// the same implementation without the bug passes every check. The catch rate is in the README.
import assert from 'node:assert/strict';
import path from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { wasmBackend } from '../../src/backends/wasm.js';
import type { Tf } from '../../src/types.js';
import { runChecks, sayHello } from '../../src/validate/run.js';
import { REPO } from '../helpers/data.js';

const LIMITS = { timeoutMs: 120_000, memoryMb: 2048 };
const quiet = () => {};
const impl = (name: string) => path.join(REPO, 'tests/validate/broken', `${name}.mjs`);

/** Planted bug -> the check that must catch it. */
export const CATALOGUE: readonly { impl: string; model: string; bug: string; caughtBy: string }[] = [
  { impl: 'logreg-missing-half', model: 'logreg', bug: 'penalty ||w||^2 without the 1/2', caughtBy: 'logreg-optimum-breast-cancer' },
  { impl: 'logreg-penalised-intercept', model: 'logreg', bug: 'the intercept inside the penalty', caughtBy: 'logreg-intercept-unpenalised' },
  { impl: 'logreg-c-as-lambda', model: 'logreg', bug: 'C used as the penalty weight lambda', caughtBy: 'logreg-optimum-generated' },
  { impl: 'logreg-naive-sigmoid', model: 'logreg', bug: 'sigma(z) = e^z / (1 + e^z): overflows to NaN', caughtBy: 'logreg-extreme-inputs' },
  { impl: 'logreg-stop-early', model: 'logreg', bug: 'stops after two Newton steps', caughtBy: 'logreg-optimum-raw-breast-cancer' },
  { impl: 'logreg-sigmoid-wrong-sign', model: 'logreg', bug: 'predict_proba returns sigma(-(w.x + b))', caughtBy: 'logreg-proba-consistent' },
  { impl: 'logreg-ignores-null-c', model: 'logreg', bug: '"C": null read as C = 1', caughtBy: 'logreg-no-penalty' },
  { impl: 'logreg-nondeterministic', model: 'logreg', bug: 'a time-dependent starting point', caughtBy: 'logreg-deterministic' },
  { impl: 'svm-dual-coef-without-labels', model: 'svm', bug: 'dual_coef = alpha instead of t alpha', caughtBy: 'svm-kkt' },
  { impl: 'svm-wrong-bias-sign', model: 'svm', bug: 'the bias returned with the wrong sign', caughtBy: 'svm-decision-consistent' },
  { impl: 'svm-ignores-gamma', model: 'svm', bug: 'the RBF kernel always uses gamma = 1', caughtBy: 'svm-rbf-gamma' },
  { impl: 'svm-hinge-margin-zero', model: 'svm', bug: 'hinge max(0, -t f) (margin 0): w = 0', caughtBy: 'svm-optimum-linear' },
  { impl: 'vae-kl-wrong-sign', model: 'vae', bug: 'ELBO = log p(x|z) + KL', caughtBy: 'vae-elbo-recomputation' },
  { impl: 'vae-kl-missing-half', model: 'vae', bug: 'KL without its 1/2', caughtBy: 'vae-kl-closed-form' },
  { impl: 'vae-trace-is-loss', model: 'vae', bug: 'the training trace reports -ELBO (the loss)', caughtBy: 'vae-training-raises-elbo' },
  { impl: 'gan-value-swapped', model: 'gan', bug: 'V = mean log(1 - D(x)) + mean log D(G(z))', caughtBy: 'gan-value-recomputation' },
  { impl: 'gan-discriminator-reports-fake', model: 'gan', bug: 'discriminate returns the logit of P(fake)', caughtBy: 'gan-discriminator-optimal' },
  { impl: 'gan-generator-frozen', model: 'gan', bug: 'fit never updates the generator', caughtBy: 'gan-generator-lowers-jsd' },
];

describe('the broken-implementation catalogue', () => {
  let tf: Tf;
  beforeAll(async () => {
    tf = (await wasmBackend.activate()).tf;
  });

  it('our reference logistic regression (src/validate/reference-impl.ts) passes every logreg check', async () => {
    // The reference SVM, VAE and GAN are checked through the *-correct wrappers below.
    const target = path.join(REPO, 'src/validate/reference-impl.ts');
    const outcomes = await runChecks(target, 'logreg', await sayHello(target, LIMITS, quiet), tf, LIMITS, quiet, () => {});
    assert.deepEqual(outcomes.filter((o) => o.status !== 'passed').map((o) => `${o.check}: ${o.status} ${o.detail}`), []);
  });

  for (const correct of ['logreg-correct', 'svm-correct', 'vae-correct', 'gan-correct']) {
    it(`${correct} (no bug planted) passes every check`, async () => {
      const target = impl(correct);
      const model = correct.split('-')[0];
      const outcomes = await runChecks(target, model, await sayHello(target, LIMITS, quiet), tf, LIMITS, quiet, () => {});
      assert.deepEqual(outcomes.filter((o) => o.status !== 'passed').map((o) => `${o.check}: ${o.status} ${o.detail}`), []);
    });
  }

  for (const entry of CATALOGUE) {
    it(`${entry.impl} (${entry.bug}) is caught by ${entry.caughtBy}`, async () => {
      const target = impl(entry.impl);
      // Only the named check: the bug must be caught there (the others may or may not notice it).
      const outcomes = await runChecks(target, entry.model, await sayHello(target, LIMITS, quiet), tf, LIMITS, quiet, () => {}, [entry.caughtBy]);
      const named = outcomes.find((o) => o.check === entry.caughtBy)!;
      assert.ok(named.status === 'failed' || named.status === 'errored', `${entry.caughtBy}: ${named.status} (${named.detail})`);
    });
  }
});
