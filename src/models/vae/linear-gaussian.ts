// Data from a known linear-Gaussian model x = W z + b + N(0, s2 I), z ~ N(0, I): the one VAE setting
// where log p(x) is exact, so a fitted VAE can be held to the true marginal likelihood of its data.
import { deriveSeed, Rng } from '../../seeds.js';
import type { Dataset } from '../../types.js';
import { linearGaussianLogMarginal, type LinearGaussian } from './objective.js';

export const LINEAR_GAUSSIAN_SHAPE = { rows: 4096, D: 8, L: 2, s2: 0.1 } as const;

export function linearGaussianModel(D: number, L: number, s2: number, seed: number): LinearGaussian {
  const rng = new Rng(deriveSeed(seed, 'linear-gaussian-model'));
  const W = Float64Array.from({ length: D * L }, () => rng.normal());
  const b = Float64Array.from({ length: D }, () => 0.5 * rng.normal());
  return { W, b, s2, D, L };
}

export function sampleLinearGaussian(
  model: LinearGaussian,
  rows: number,
  seed: number,
  name = 'linear-gaussian',
): Dataset {
  const rng = new Rng(deriveSeed(seed, 'linear-gaussian-samples'));
  const { W, b, s2, D, L } = model;
  const x = new Float64Array(rows * D);
  const z = new Float64Array(L);
  const s = Math.sqrt(s2);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < L; k++) z[k] = rng.normal();
    for (let i = 0; i < D; i++) {
      let v = b[i] + s * rng.normal();
      for (let k = 0; k < L; k++) v += W[i * L + k] * z[k];
      x[r * D + i] = v;
    }
  }
  return {
    name,
    rows,
    cols: D,
    x,
    y: new Float64Array(rows),
    featureNames: Array.from({ length: D }, (_, i) => `x${i + 1}`),
  };
}

/** Train and test sets from one seeded model, the test set from an independent stream. */
export function linearGaussianSplit(seed: number): { train: Dataset; model: LinearGaussian } {
  const { rows, D, L, s2 } = LINEAR_GAUSSIAN_SHAPE;
  const model = linearGaussianModel(D, L, s2, seed);
  const test = sampleLinearGaussian(model, rows / 4, deriveSeed(seed, 'test'), 'linear-gaussian/test');
  const samples = sampleLinearGaussian(model, rows, seed, 'linear-gaussian/train');
  const reference = {
    exact_train_log_px: meanLogMarginal(model, samples),
    exact_test_log_px: meanLogMarginal(model, test),
  };
  return { train: { ...samples, heldOut: test, reference }, model };
}

/** Mean exact log p(x) over the rows of a set. */
export function meanLogMarginal(model: LinearGaussian, data: Dataset): number {
  let s = 0;
  for (let r = 0; r < data.rows; r++)
    s += linearGaussianLogMarginal(model, data.x.subarray(r * data.cols, (r + 1) * data.cols));
  return s / data.rows;
}
