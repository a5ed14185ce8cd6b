// The backend's float32 matMul ceiling, measured once per backend per run, by the backend's first cell's
// process after its cell: square products from 256 upwards, doubling while one takes under 50 ms (at most 1024), the
// best of 5 timed products at the largest size. A row's achieved GFLOP/s over this says how close to
// its backend's dense-product speed the workload runs (compute-bound near 1, overhead-bound far below).
import { Rng } from '../seeds.js';
import type * as tfc from '@tensorflow/tfjs';
import type { Tf } from '../types.js';

export interface Ceiling {
  readonly n: number;
  readonly gflops: number;
}

/** Where the ceiling travels in the backend's runtime details (and so into the run's context). */
export const CEILING_GFLOPS = 'matmul_ceiling_gflops';
export const CEILING_SIZE = 'matmul_ceiling_n';

const LARGEST = 1024;
const ENOUGH_MS = 50;

/** One timed product a x b; reading one entry waits for it without timing a whole download. */
export async function timeProductMs(tf: Tf, a: tfc.Tensor2D, b: tfc.Tensor2D): Promise<number> {
  const t0 = performance.now();
  const c = tf.matMul(a, b);
  const [rows, cols] = c.shape as [number, number];
  const corner = tf.slice(c, [rows - 1, cols - 1], [1, 1]);
  await corner.data();
  const ms = performance.now() - t0;
  tf.dispose([c, corner]);
  return ms;
}

async function bestProductMs(tf: Tf, n: number, seed: number, repeats: number): Promise<number> {
  const rng = new Rng(seed);
  const a = tf.tensor2d(
    Float32Array.from({ length: n * n }, () => rng.normal()),
    [n, n],
  );
  const b = tf.tensor2d(
    Float32Array.from({ length: n * n }, () => rng.normal()),
    [n, n],
  );
  let best = Infinity;
  try {
    for (let i = 0; i <= repeats; i++) {
      const ms = await timeProductMs(tf, a, b);
      if (i > 0) best = Math.min(best, ms);
    }
  } finally {
    tf.dispose([a, b]);
  }
  return best;
}

export async function measureCeiling(tf: Tf, seed: number): Promise<Ceiling> {
  let n = 256;
  let ms = await bestProductMs(tf, n, seed, 2);
  while (ms < ENOUGH_MS && n < LARGEST) {
    n *= 2;
    ms = await bestProductMs(tf, n, seed, 2);
  }
  ms = Math.min(ms, await bestProductMs(tf, n, seed, 5));
  return { n, gflops: (2 * n ** 3) / (ms / 1000) / 1e9 };
}
