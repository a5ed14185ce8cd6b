// The datasets the conformance checks use: committed fixtures and seeded generated data.
import { NAMED_CLASSIFICATION_DATA } from '../data/named.js';
import { logisticData } from '../data/synthetic.js';
import { deriveSeed, DEFAULT_BASE_SEED, Rng } from '../seeds.js';
import type { Dataset } from '../types.js';
import { toRows } from '../protocol/messages.js';

const SEED = deriveSeed(DEFAULT_BASE_SEED, 'validate');

export function breastCancer(): Dataset {
  return NAMED_CLASSIFICATION_DATA['breast-cancer'].load();
}

/** Unscaled: features from 0.0008 to 4254, the ill-conditioned case. */
export function breastCancerRaw(): Dataset {
  return NAMED_CLASSIFICATION_DATA['breast-cancer-raw'].load();
}

export function generated(rows: number, cols: number, label = 'generated'): Dataset {
  return logisticData(rows, cols, deriveSeed(SEED, `${label}-${rows}x${cols}`));
}

/** Two Gaussian blobs far apart: linearly separable with a wide margin. */
export function separable(rows = 120): Dataset {
  const rng = new Rng(deriveSeed(SEED, 'separable'));
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = i % 2;
    const s = y[i] === 1 ? 1 : -1;
    x[2 * i] = 3 * s + 0.5 * rng.normal();
    x[2 * i + 1] = s + 0.5 * rng.normal();
  }
  return { name: 'separable blobs', rows, cols: 2, x, y, featureNames: ['a', 'b'] };
}

/** Separable with a narrow gap (0.2) between classes of unit spread: the hard margin needs sum alpha ~ 100,
 *  so a solver that reads C = null as a finite C of order 1 leaves points inside the margin. */
export function narrowSeparable(rows = 200): Dataset {
  const rng = new Rng(deriveSeed(SEED, 'narrow-separable'));
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = i % 2;
    const s = y[i] === 1 ? 1 : -1;
    x[2 * i] = s * (0.1 + Math.abs(rng.normal()));
    x[2 * i + 1] = rng.normal();
  }
  return { name: 'narrow-margin separable', rows, cols: 2, x, y, featureNames: ['a', 'b'] };
}

export function rowsOf(data: Dataset): number[][] {
  return toRows(data.x.subarray(0, data.rows * data.cols), data.cols);
}

/** Datasets `validate --data NAME` knows, besides a labelled FILE.csv. */
export const NAMED_DATASETS: Readonly<Record<string, () => Dataset>> = Object.fromEntries(
  Object.entries(NAMED_CLASSIFICATION_DATA).map(([name, d]) => [name, d.load]),
);
