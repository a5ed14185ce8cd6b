// Seeded synthetic classification data: x ~ N(0, I), y ~ Bernoulli(sigma(x.w* + b*)) with a
// planted w* of norm 2, so the classes overlap (no separation) and the optimum is finite for any C.
import { Rng } from '../seeds.js';
import type { Dataset } from '../types.js';

export const PLANTED_WEIGHT_NORM = 2;
export const PLANTED_BIAS = 0.25;

export function logisticData(rows: number, cols: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const w = Float64Array.from({ length: cols }, () => rng.normal());
  const norm = Math.hypot(...w) || 1;
  for (let j = 0; j < cols; j++) w[j] *= PLANTED_WEIGHT_NORM / norm;
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let f = PLANTED_BIAS;
    for (let j = 0; j < cols; j++) {
      const v = rng.normal();
      x[i * cols + j] = v;
      f += v * w[j];
    }
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-f)) ? 1 : 0;
  }
  return {
    name: `synthetic-logistic(m=${rows},d=${cols},seed=${seed})`,
    rows,
    cols,
    x,
    y,
    featureNames: Array.from({ length: cols }, (_, j) => `x${j + 1}`),
  };
}
