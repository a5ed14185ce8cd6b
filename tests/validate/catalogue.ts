// The catalogue of planted bugs, shared by the two catalogue test files: catalogue-bugs.test.ts (each
// bug is caught; default tier) and catalogue.slow.test.ts (the correct twins pass every check; the
// option-to-check table; slow tier: it trains every check's models).
import path from 'node:path';
import { REPO } from '../helpers/data.js';

export const LIMITS = { timeoutMs: 120_000, memoryMb: 2048 };
export const quiet = () => {};
/** A broken implementation by name: a module (NAME.mjs) or a Python command (NAME.py). */
export const impl = (name: string) => (name.endsWith('.py') ? `/usr/bin/python3 ${path.join(REPO, 'tests/validate/broken', name)}` : path.join(REPO, 'tests/validate/broken', `${name}.mjs`));

/** Planted bug -> the check that must catch it, and the protocol option (src/validate/protocol-options.ts) whose path it breaks. */
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
