// The data of the VAE checks, one set per likelihood, drawn from the check's property seed:
// linear-Gaussian data (exact log p(x) known) for the Gaussian decoder, and binary data from a latent
// logistic model (pixels of a 2-D latent cause, as binarised images are) for the Bernoulli decoder.
import { linearGaussianSplit } from './linear-gaussian.js';
import { deriveSeed, DEFAULT_BASE_SEED, Rng } from '../../seeds.js';
import type { Dataset } from '../../types.js';

export type Likelihood = 'gaussian' | 'bernoulli';

export interface VaeCheckData {
  readonly likelihood: Likelihood;
  readonly train: Dataset;
  readonly test: Dataset;
  /** Exact mean log p(x) of the test rows, where the model is known in closed form (Gaussian only). */
  readonly exactTestLogPx?: number;
}

export const BINARY_SHAPE = { rows: 2048, testRows: 512, D: 16, L: 2, weightScale: 2.5 } as const;

/** x_j ~ Bernoulli(sigma(a_j . z + c_j)), z ~ N(0, I_2): every pixel depends on the latent cause. */
function binaryLatentSplit(seed: number): { train: Dataset; test: Dataset } {
  const { rows, testRows, D, L, weightScale } = BINARY_SHAPE;
  const modelRng = new Rng(deriveSeed(seed, 'binary-latent-model'));
  const A = Float64Array.from({ length: D * L }, () => weightScale * modelRng.normal());
  const c = Float64Array.from({ length: D }, () => 0.5 * modelRng.normal());
  const sample = (n: number, label: string): Dataset => {
    const rng = new Rng(deriveSeed(seed, label));
    const x = new Float64Array(n * D);
    for (let r = 0; r < n; r++) {
      const z = Array.from({ length: L }, () => rng.normal());
      for (let j = 0; j < D; j++) {
        let a = c[j];
        for (let k = 0; k < L; k++) a += A[j * L + k] * z[k];
        x[r * D + j] = rng.uniform() < 1 / (1 + Math.exp(-a)) ? 1 : 0;
      }
    }
    return {
      name: `binary-latent/${label}`,
      rows: n,
      cols: D,
      x,
      y: new Float64Array(n),
      featureNames: Array.from({ length: D }, (_, j) => `p${j + 1}`),
    };
  };
  return { train: sample(rows, 'train'), test: sample(testRows, 'test') };
}

export function vaeCheckData(likelihood: Likelihood, seed: number): VaeCheckData {
  const base = deriveSeed(DEFAULT_BASE_SEED, `validate-vae-${seed}`);
  if (likelihood === 'bernoulli') return { likelihood, ...binaryLatentSplit(base) };
  const { train } = linearGaussianSplit(base);
  return { likelihood, train, test: train.heldOut!, exactTestLogPx: train.reference!.exact_test_log_px };
}
