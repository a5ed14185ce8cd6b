// Wilcoxon signed-rank test of "the paired differences tend to be positive" (candidate slower than
// its paired baseline burst). Zero differences are dropped (Wilcoxon's convention); exact null
// distribution for up to EXACT_LIMIT pairs without tied magnitudes, normal approximation with tie and
// continuity corrections otherwise (as R's wilcox.test).
import { normalCdf } from './mann-whitney.js';

export interface SignedRankResult {
  /** The sum of the ranks of the positive differences. */
  readonly wPlus: number;
  /** Non-zero differences. */
  readonly n: number;
  /** One-sided p-value for the alternative "differences > 0". */
  readonly pGreater: number;
  /** One-sided p-value for the alternative "differences < 0". */
  readonly pLess: number;
  readonly method: 'exact' | 'normal';
}

const EXACT_LIMIT = 50;

export function signedRank(differences: readonly number[]): SignedRankResult {
  const d = differences.filter((x) => x !== 0 && Number.isFinite(x));
  const n = d.length;
  if (n === 0) return { wPlus: 0, n: 0, pGreater: 1, pLess: 1, method: 'exact' };
  const byMagnitude = d.map((v) => ({ v, a: Math.abs(v) })).sort((x, y) => x.a - y.a);
  let wPlus = 0;
  let tieTerm = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && byMagnitude[j + 1].a === byMagnitude[i].a) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (byMagnitude[k].v > 0) wPlus += rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  if (n <= EXACT_LIMIT && tieTerm === 0) {
    const dist = exactDistribution(n);
    let upper = 0;
    let lower = 0;
    for (let w = 0; w < dist.length; w++) {
      if (w >= wPlus) upper += dist[w];
      if (w <= wPlus) lower += dist[w];
    }
    return { wPlus, n, pGreater: Math.min(1, upper), pLess: Math.min(1, lower), method: 'exact' };
  }
  const mean = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  if (variance <= 0) return { wPlus, n, pGreater: 1, pLess: 1, method: 'normal' };
  const sd = Math.sqrt(variance);
  return {
    wPlus,
    n,
    pGreater: 1 - normalCdf((wPlus - mean - 0.5) / sd),
    pLess: normalCdf((wPlus - mean + 0.5) / sd),
    method: 'normal',
  };
}

/** The smallest one-sided p-value n pairs can give: every difference of one sign, 2^-n. */
export function smallestSignedRankP(n: number): number {
  return 2 ** -n;
}

const exactCache = new Map<number, Float64Array>();

/** P(W+ = w) under the null: each rank k joins W+ with probability 1/2, independently. */
function exactDistribution(n: number): Float64Array {
  let dist = exactCache.get(n);
  if (dist) return dist;
  dist = new Float64Array((n * (n + 1)) / 2 + 1);
  dist[0] = 1;
  for (let k = 1; k <= n; k++) {
    const top = (k * (k + 1)) / 2;
    for (let w = top; w >= 0; w--) dist[w] = (dist[w] + (w >= k ? dist[w - k] : 0)) / 2;
  }
  exactCache.set(n, dist);
  return dist;
}
