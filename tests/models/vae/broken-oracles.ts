// Deliberately broken twins of the VAE oracle's formulas: each must be caught by a named test.
import { linearGaussianLogMarginal, type LinearGaussian } from '../../../src/models/vae/objective.js';

/** KL with +log sigma^2 instead of -log sigma^2. */
export function brokenKlWrongSign(mu: ArrayLike<number>, logvar: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < mu.length; i++) s += mu[i] * mu[i] + Math.exp(logvar[i]) - 1 + logvar[i];
  return 0.5 * s;
}

/** KL without the leading 1/2. */
export function brokenKlMissingHalf(mu: ArrayLike<number>, logvar: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < mu.length; i++) s += mu[i] * mu[i] + Math.exp(logvar[i]) - 1 - logvar[i];
  return s;
}

/** log(sigmoid(l)) written naively: overflows to -Infinity / NaN for large |l|. */
export function naiveBernoulliLogLikelihood(x: ArrayLike<number>, logits: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const p = 1 / (1 + Math.exp(-logits[i]));
    s += x[i] * Math.log(p) + (1 - x[i]) * Math.log(1 - p);
  }
  return s;
}

/** log N(x; b, W W^T) without the noise term s2 I (keeps a tiny jitter so it stays positive definite). */
export function brokenLogMarginalForgetsNoise(model: LinearGaussian, x: ArrayLike<number>): number {
  return linearGaussianLogMarginal({ ...model, s2: 1e-3 * model.s2 }, x);
}

