// Small descriptive statistics on sorted samples (linear interpolation between order statistics).
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** The median of unsorted values. */
export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  return { mean, sd };
}

/**
 * Student's t quantile at 0.975 for `df` degrees of freedom (Cornish-Fisher series; within 3% at df = 2, exact in the
 * limit).
 */
function tCritical(df: number): number {
  const z = 1.959963984540054;
  if (df <= 0) return Number.POSITIVE_INFINITY;
  return (
    z +
    (z ** 3 + z) / (4 * df) +
    (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2) +
    (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3)
  );
}

/**
 * A row's latency columns from its timed samples (ms), as tinybench reports them: quantiles by linear interpolation,
 * rme at 95%.
 */
export function latency(samples: readonly number[]): {
  meanMs: number;
  medianMs: number;
  p75Ms: number;
  p99Ms: number;
  minMs: number;
  maxMs: number;
  sdMs: number;
  rmePct: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  const { mean, sd } = meanAndSd(sorted);
  const rmePct =
    sorted.length < 2 || mean === 0
      ? 0
      : ((tCritical(sorted.length - 1) * sd) / Math.sqrt(sorted.length) / Math.abs(mean)) * 100;
  return {
    meanMs: mean,
    medianMs: quantile(sorted, 0.5),
    p75Ms: quantile(sorted, 0.75),
    p99Ms: quantile(sorted, 0.99),
    minMs: sorted[0],
    maxMs: sorted[sorted.length - 1],
    sdMs: sorted.length < 2 ? 0 : sd,
    rmePct,
  };
}
