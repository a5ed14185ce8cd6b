// Deliberately broken twins of the GAN oracle's formulas: each must be caught by a named test.
import { logDensity, type Gaussian1d } from '../../../src/models/gan/objective.js';

/** D* with the densities swapped: p_g / (p_data + p_g), as a logit. */
export function swappedOptimalLogit(data: Gaussian1d, generator: Gaussian1d): (x: number) => number {
  return (x) => logDensity(generator, x) - logDensity(data, x);
}

/** V written with log(sigmoid(l)) and log(1 - sigmoid(l)): -Infinity or NaN for large |l|. */
export function naiveValue(realLogits: ArrayLike<number>, fakeLogits: ArrayLike<number>): number {
  const sig = (l: number) => 1 / (1 + Math.exp(-l));
  let a = 0;
  for (let i = 0; i < realLogits.length; i++) a += Math.log(sig(realLogits[i])) / realLogits.length;
  let b = 0;
  for (let i = 0; i < fakeLogits.length; i++) b += Math.log(1 - sig(fakeLogits[i])) / fakeLogits.length;
  return a + b;
}
