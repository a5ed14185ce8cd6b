// The GAN's synthetic data: 1-D Gaussians (exact checks), the 8-Gaussians ring and the 25-Gaussians
// grid (the mode-collapse benchmarks of VEEGAN and PacGAN), drawn from a seeded stream.
import { Rng } from '../../seeds.js';
import type { Dataset } from '../../types.js';
import type { Gaussian1d } from './objective.js';

/** Ring: 8 modes on a circle of radius 2, sd 0.02 (the anchor set-up of DESIGN §3). */
export const RING8 = {
  centres: Array.from({ length: 8 }, (_, k) => [
    2 * Math.cos((2 * Math.PI * k) / 8),
    2 * Math.sin((2 * Math.PI * k) / 8),
  ]),
  sd: 0.02,
};
/** Grid: 25 modes at {-4, -2, 0, 2, 4}^2, sd 0.05 (VEEGAN). */
export const GRID25 = { centres: [-4, -2, 0, 2, 4].flatMap((a) => [-4, -2, 0, 2, 4].map((b) => [a, b])), sd: 0.05 };
/** 1-D data density for the exact checks. */
export const GAUSS1D: Gaussian1d = { mean: 2, sd: 0.5 };

export const SYNTHETIC_ROWS = 100000;

export function mixtureSample(
  mixture: { centres: readonly (readonly number[])[]; sd: number },
  rows: number,
  rng: Rng,
  name: string,
): Dataset {
  const dim = mixture.centres[0].length;
  const x = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const c = mixture.centres[rng.int(mixture.centres.length)];
    for (let j = 0; j < dim; j++) x[r * dim + j] = c[j] + mixture.sd * rng.normal();
  }
  return {
    name,
    rows,
    cols: dim,
    x,
    y: new Float64Array(rows),
    featureNames: Array.from({ length: dim }, (_, j) => `x${j + 1}`),
    modes: mixture,
  };
}

export function gaussian1dSample(g: Gaussian1d, rows: number, rng: Rng): Dataset {
  const x = Float64Array.from({ length: rows }, () => g.mean + g.sd * rng.normal());
  return {
    name: 'gauss1d',
    rows,
    cols: 1,
    x,
    y: new Float64Array(rows),
    featureNames: ['x'],
    modes: { centres: [[g.mean]], sd: g.sd },
  };
}

/** `rows` rows drawn with replacement from the set, as float32 (minibatches and check samples). */
export function drawRows(data: Dataset, rows: number, rng: Rng): Float32Array {
  const out = new Float32Array(rows * data.cols);
  for (let r = 0; r < rows; r++) {
    const src = rng.int(data.rows) * data.cols;
    for (let j = 0; j < data.cols; j++) out[r * data.cols + j] = data.x[src + j];
  }
  return out;
}
