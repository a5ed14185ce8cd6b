// The broken-implementation catalogue: every planted bug is caught by the check named beside it, and
// the same implementation without the bug passes every check. The catch rate is in the README.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { wasmBackend } from '../../src/backends/wasm.js';
import type { Tf } from '../../src/types.js';
import { optionCoverageTable, optionKey, PROTOCOL_OPTIONS, type ProtocolOption } from '../../src/validate/options.js';
import type { Request } from '../../src/validate/protocol.js';
import { CHECKS } from '../../src/validate/registry.js';
import { runChecks, sayHello } from '../../src/validate/run.js';
import { REPO } from '../helpers/data.js';

const LIMITS = { timeoutMs: 120_000, memoryMb: 2048 };
const quiet = () => {};
/** A broken implementation by name: a module (NAME.mjs) or a Python command (NAME.py). */
const impl = (name: string) => (name.endsWith('.py') ? `/usr/bin/python3 ${path.join(REPO, 'tests/validate/broken', name)}` : path.join(REPO, 'tests/validate/broken', `${name}.mjs`));
const PROTOCOL_DOC = path.join(REPO, 'docs/protocol.md');
/** The requests each check sent to the correct implementations, for the option-to-check table. */
const sent = new Map<string, Request[]>();
const record = (check: string, request: Request) => sent.set(check, [...(sent.get(check) ?? []), request]);

/** Planted bug -> the check that must catch it, and the protocol option (src/validate/options.ts) whose path it breaks. */
export const CATALOGUE: readonly { impl: string; model: string; bug: string; caughtBy: string; option: string }[] = [
  { impl: 'logreg-missing-half', model: 'logreg', bug: 'penalty ||w||^2 without the 1/2', caughtBy: 'logreg-optimum-breast-cancer', option: '"C": number (penalised)' },
  { impl: 'logreg-penalised-intercept', model: 'logreg', bug: 'the intercept inside the penalty', caughtBy: 'logreg-intercept-unpenalised', option: '"C": number (penalised)' },
  { impl: 'logreg-c-as-lambda', model: 'logreg', bug: 'C used as the penalty weight lambda', caughtBy: 'logreg-optimum-generated', option: '"C": number (penalised)' },
  { impl: 'logreg-naive-sigmoid', model: 'logreg', bug: 'sigma(z) = e^z / (1 + e^z): overflows to NaN', caughtBy: 'logreg-extreme-inputs', option: '"C": number (penalised)' },
  { impl: 'logreg-stop-early', model: 'logreg', bug: 'stops after two Newton steps', caughtBy: 'logreg-optimum-raw-breast-cancer', option: '"C": number (penalised)' },
  { impl: 'logreg-sigmoid-wrong-sign', model: 'logreg', bug: 'predict_proba returns sigma(-(w.x + b))', caughtBy: 'logreg-proba-consistent', option: '"C": number (penalised)' },
  { impl: 'logreg-ignores-null-c', model: 'logreg', bug: '"C": null read as C = 1', caughtBy: 'logreg-no-penalty', option: '"C": null (unpenalised)' },
  { impl: 'logreg-nondeterministic', model: 'logreg', bug: 'a time-dependent starting point', caughtBy: 'logreg-deterministic', option: '"C": number (penalised)' },
  { impl: 'svm-dual-coef-without-labels', model: 'svm', bug: 'dual_coef = alpha instead of t alpha', caughtBy: 'svm-kkt', option: '"kernel": "linear"' },
  { impl: 'svm-wrong-bias-sign', model: 'svm', bug: 'the bias returned with the wrong sign', caughtBy: 'svm-decision-consistent', option: '"C": number (soft margin)' },
  { impl: 'svm-ignores-gamma', model: 'svm', bug: 'the RBF kernel always uses gamma = 1', caughtBy: 'svm-rbf-gamma', option: '"kernel": "rbf" with "gamma"' },
  { impl: 'svm-hinge-margin-zero', model: 'svm', bug: 'hinge max(0, -t f) (margin 0): w = 0', caughtBy: 'svm-optimum-linear', option: '"kernel": "linear"' },
  { impl: 'svm-ignores-null-c', model: 'svm', bug: '"C": null read as C = 1', caughtBy: 'svm-no-penalty', option: '"C": null (hard margin)' },
  { impl: 'vae-kl-wrong-sign', model: 'vae', bug: 'ELBO = log p(x|z) + KL', caughtBy: 'vae-elbo-recomputation', option: '"likelihood": "gaussian"' },
  { impl: 'vae-kl-missing-half', model: 'vae', bug: 'KL without its 1/2', caughtBy: 'vae-kl-closed-form', option: '"likelihood": "gaussian"' },
  { impl: 'vae-trace-is-loss', model: 'vae', bug: 'the training trace reports -ELBO (the loss)', caughtBy: 'vae-training-raises-elbo', option: '"likelihood": "gaussian"' },
  { impl: 'vae-bernoulli-swapped', model: 'vae', bug: 'Bernoulli log-likelihood with x and 1 - x swapped', caughtBy: 'vae-elbo-recomputation-bernoulli', option: '"likelihood": "bernoulli"' },
  { impl: 'vae-bernoulli-naive-log', model: 'vae', bug: 'Bernoulli log-likelihood as log(sigma(l)) in float32: -inf for large |l|', caughtBy: 'vae-extreme-inputs-bernoulli', option: '"likelihood": "bernoulli"' },
  { impl: 'gan-value-swapped', model: 'gan', bug: 'V = mean log(1 - D(x)) + mean log D(G(z))', caughtBy: 'gan-value-recomputation', option: '"loss": "nonsaturating"' },
  { impl: 'gan-discriminator-reports-fake', model: 'gan', bug: 'discriminate returns the logit of P(fake)', caughtBy: 'gan-discriminator-optimal', option: '"loss": "nonsaturating"' },
  { impl: 'gan-generator-frozen', model: 'gan', bug: 'fit never updates the generator', caughtBy: 'gan-generator-lowers-jsd', option: '"loss": "nonsaturating"' },
  { impl: 'gan-naive-log-sigmoid', model: 'gan', bug: 'V as log(sigma(l)) in float32: -inf for large |l|', caughtBy: 'gan-extreme-inputs', option: '"loss": "nonsaturating"' },
  { impl: 'gan_minimax_ascends.py', model: 'gan', bug: 'minimax generator loss with the wrong sign (G climbs V)', caughtBy: 'gan-generator-lowers-jsd-minimax', option: '"loss": "minimax"' },
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
      const outcomes = await runChecks(target, model, await sayHello(target, LIMITS, quiet), tf, LIMITS, quiet, () => {}, { onRequest: record });
      assert.deepEqual(outcomes.filter((o) => o.status !== 'passed').map((o) => `${o.check}: ${o.status} ${o.detail}`), []);
    });
  }

  for (const entry of CATALOGUE) {
    it(`${entry.impl} (${entry.bug}) is caught by ${entry.caughtBy}`, async () => {
      const target = impl(entry.impl);
      // Only the named check: the bug must be caught there (the others may or may not notice it).
      const outcomes = await runChecks(target, entry.model, await sayHello(target, LIMITS, quiet), tf, LIMITS, quiet, () => {}, { only: [entry.caughtBy] });
      const named = outcomes.find((o) => o.check === entry.caughtBy)!;
      assert.ok(named.status === 'failed' || named.status === 'errored', `${entry.caughtBy}: ${named.status} (${named.detail})`);
    });
  }

  it('every protocol option is exercised by a check and has a planted bug that a check exercising it catches; docs/protocol.md carries the table', () => {
    const missing = CHECKS.filter((c) => !sent.has(c.name)).map((c) => c.name);
    assert.deepEqual(missing, [], 'run the whole file: the table is built from the requests of every check on the correct implementations');
    const exercising = (o: ProtocolOption) => [...sent].filter(([, requests]) => requests.some((r) => o.asks(r))).map(([check]) => check);
    const caught = new Map<string, string[]>();
    for (const o of PROTOCOL_OPTIONS) {
      const bugs = CATALOGUE.filter((e) => e.model === o.model && e.option === o.option && exercising(o).includes(e.caughtBy));
      caught.set(optionKey(o), bugs.map((e) => e.impl));
    }
    assert.deepEqual(CATALOGUE.filter((e) => !PROTOCOL_OPTIONS.some((o) => o.model === e.model && o.option === e.option)).map((e) => e.option), [], 'a catalogue entry names an option src/validate/options.ts does not list');
    const table = optionCoverageTable(sent, caught);
    assert.ok(!table.includes('**none**'), `an option without an exercising check or a caught planted bug:\n${table}`);
    const doc = readFileSync(PROTOCOL_DOC, 'utf8');
    assert.ok(doc.includes(table), `docs/protocol.md must carry the option-to-check table as the checks' requests give it; paste:\n${table}`);
  });
});
