// Mann-Whitney U test of "candidate samples tend to be larger (slower) than baseline samples".
// Exact null distribution for small samples (no ties assumed there, as in R's wilcox.test), normal
// approximation with tie and continuity corrections otherwise.

export interface UTestResult {
  readonly u: number;
  /** One-sided p-value for the alternative "candidate > baseline". */
  readonly pGreater: number;
  /** One-sided p-value for the alternative "candidate < baseline". */
  readonly pLess: number;
  readonly method: 'exact' | 'normal';
}

/** Above this many (n1 * n2) pairs the exact distribution costs more than it is worth. */
const EXACT_LIMIT = 2500;

export function mannWhitney(baseline: readonly number[], candidate: readonly number[]): UTestResult {
  const n1 = candidate.length;
  const n2 = baseline.length;
  if (n1 === 0 || n2 === 0) throw new Error('Mann-Whitney needs samples on both sides');
  // Each side sorted natively (a typed array's numeric sort), then merged, ranking tied runs across
  // both: the detectability simulation calls this hundreds of times on tens of thousands of samples.
  const c = Float64Array.from(candidate).sort();
  const b = Float64Array.from(baseline).sort();
  let tieTerm = 0;
  let hasTies = false;
  let rankSum = 0;
  let placed = 0;
  for (let i = 0, j = 0; i < n1 || j < n2;) {
    const v = j >= n2 || (i < n1 && c[i] <= b[j]) ? c[i] : b[j];
    let inC = 0;
    let inB = 0;
    while (i < n1 && c[i] === v) {
      i++;
      inC++;
    }
    while (j < n2 && b[j] === v) {
      j++;
      inB++;
    }
    if (inC + inB === 0) {
      // NaN equals nothing: ranked alone (sorted last) so the walk goes on.
      if (i < n1) (i++, inC++);
      else (j++, inB++);
    }
    const t = inC + inB;
    rankSum += inC * (placed + (t + 1) / 2);
    if (t > 1) hasTies = true;
    tieTerm += t * t * t - t;
    placed += t;
  }
  // U counts the (candidate, baseline) pairs where the candidate is larger (ties count one half).
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  if (n1 * n2 <= EXACT_LIMIT && !hasTies) {
    const dist = exactDistribution(n1, n2);
    let upper = 0;
    let lower = 0;
    for (let k = 0; k < dist.length; k++) {
      if (k >= u) upper += dist[k];
      if (k <= u) lower += dist[k];
    }
    return { u, pGreater: Math.min(1, upper), pLess: Math.min(1, lower), method: 'exact' };
  }
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, pGreater: 1, pLess: 1, method: 'normal' };
  const sd = Math.sqrt(variance);
  return {
    u,
    pGreater: 1 - normalCdf((u - mean - 0.5) / sd),
    pLess: normalCdf((u - mean + 0.5) / sd),
    method: 'normal',
  };
}

/** The exact null distributions computed so far, by sample sizes: the gate and its detectability
 *  simulation ask for the same sizes many times, and each costs O(n1 n2 (n1 + n2)). */
const exactCache = new Map<string, Float64Array>();

function exactDistribution(n1: number, n2: number): Float64Array {
  const key = `${n1},${n2}`;
  let d = exactCache.get(key);
  if (!d) exactCache.set(key, (d = computeExactDistribution(n1, n2)));
  return d;
}

/** P(U = k) under the null, by the classic recurrence on counts of arrangements. */
function computeExactDistribution(n1: number, n2: number): Float64Array {
  // counts[i][j] is the distribution for sample sizes i and j, built up row by row.
  let prev: Float64Array[] = [];
  for (let i = 0; i <= n1; i++) {
    const row: Float64Array[] = [];
    for (let j = 0; j <= n2; j++) {
      const size = i * j + 1;
      const d = new Float64Array(size);
      if (i === 0 || j === 0) d[0] = 1;
      else {
        // The largest value is a candidate (adds j to U) or a baseline sample.
        const a = prev[j];
        const b = row[j - 1];
        for (let k = 0; k < size; k++)
          d[k] = (k - j >= 0 && k - j < a.length ? a[k - j] : 0) + (k < b.length ? b[k] : 0);
      }
      row.push(d);
    }
    prev = row;
  }
  const counts = prev[n2];
  const total = counts.reduce((s, v) => s + v, 0);
  return counts.map((v) => v / total);
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 through erf; |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}
