// A seeded bootstrap interval of a ratio of two medians, at O(1) per draw whatever the sample count.
// A resample of sorted values x(0..n-1) draws n indices I = floor(n U) with U uniform; since x is sorted,
// the resample's k-th smallest value is x(floor(n U(k))), where U(k), the k-th smallest of n uniforms, is
// Beta(k, n + 1 - k). So a bootstrap median needs one Beta draw (two for an even n: given U(k) = u, U(k+1)
// is u plus (1 - u) times the smallest of n - k uniforms), not n draws and a sort: the overview of 1,000
// runs bootstraps thousands of cells of thousands of samples.
import { quantile } from './descriptive.js';
import type { Rng } from '../seeds.js';

/** Gamma(shape >= 1) by Marsaglia and Tsang (2000). */
function gamma(shape: number, rng: Rng): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function beta(a: number, b: number, rng: Rng): number {
  const x = gamma(a, rng);
  return x / (x + gamma(b, rng));
}

const at = (sorted: ArrayLike<number>, u: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * u))];

/** The median of one bootstrap resample of `sorted` (ascending), as quantile(resample, 0.5) would give it. */
export function bootstrapMedian(sorted: ArrayLike<number>, rng: Rng): number {
  const n = sorted.length;
  if (n === 1) return sorted[0];
  const k = Math.ceil(n / 2);
  const u = beta(k, n + 1 - k, rng);
  if (n % 2 === 1) return at(sorted, u);
  const next = u + (1 - u) * (1 - (1 - rng.uniform()) ** (1 / (n - k)));
  return (at(sorted, u) + at(sorted, next)) / 2;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * The percentile interval of median(a) / median(b), a and b resampled independently, at `level`
 * (0.95: the 2.5% and 97.5% points of `draws` resampled ratios).
 */
export function ratioOfMediansInterval(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rng: Rng,
  draws: number,
  level = 0.95,
): Interval {
  const ratios = Array.from({ length: draws }, () => bootstrapMedian(a, rng) / bootstrapMedian(b, rng)).sort(
    (x, y) => x - y,
  );
  return { low: quantile(ratios, (1 - level) / 2), high: quantile(ratios, (1 + level) / 2) };
}
