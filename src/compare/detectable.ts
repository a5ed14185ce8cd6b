// How small a slowdown the gate can see on a row: the minimum detectable effect. The baseline's own
// samples stand in for the machine's noise: resampled (with replacement, smoothed) into a baseline and a
// candidate of the run's sample counts, the candidate's multiplied by 1 + delta, and judged as the
// gate judges (one-sided U test at the row's strictest Holm level, and a shift of the median and of
// the first quartile above the minimum effect). The smallest delta flagged in at least 80% of the
// resamples is the row's minimum detectable effect; how many samples would bring it to 5% is found
// the same way with the sample counts multiplied.
import { quantile } from '../report/stats.js';
import { deriveSeed, DEFAULT_BASE_SEED, Rng } from '../seeds.js';
import { mannWhitney } from './mann-whitney.js';

export const POWER = 0.8;
const RESAMPLES = 60;
/** Above this many resampled values per side the search for "samples for 5%" stops (cost). */
const MAX_RESAMPLED = 4000;

export interface Detectability {
  /** Smallest relative slowdown flagged with probability 0.8; undefined when even 100% is not. */
  readonly mde?: number;
  /** Candidate samples (baseline alike) with which the test alone would detect 5% at that power; undefined when more than 64 times today's. */
  readonly samplesFor5Pct?: number;
}

function shift(b: readonly number[], c: readonly number[]): number {
  const sb = [...b].sort((x, y) => x - y);
  const sc = [...c].sort((x, y) => x - y);
  const median = quantile(sc, 0.5) / quantile(sb, 0.5) - 1;
  const q1 = quantile(sc, 0.25) / quantile(sb, 0.25) - 1;
  return Math.sign(median) * Math.min(Math.abs(median), Math.abs(q1));
}

/**
 * Silverman's bandwidth of the samples: resampling adds this much normal noise to each draw (a
 * smoothed bootstrap), since plain resampling makes ties a continuous clock does not, and the U
 * test's tie correction then claims more power than the machine gives.
 */
function bandwidth(b: readonly number[]): number {
  const sorted = [...b].sort((x, y) => x - y);
  const mean = b.reduce((x, y) => x + y, 0) / b.length;
  const sd = Math.sqrt(b.reduce((x, y) => x + (y - mean) ** 2, 0) / Math.max(1, b.length - 1));
  const iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
  const spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd;
  return 0.9 * spread * b.length ** -0.2;
}

function power(b: readonly number[], nB: number, nC: number, delta: number, threshold: number, minEffect: number, seed: number): number {
  const rng = new Rng(seed);
  const h = bandwidth(b);
  const draw = () => Math.max(b[rng.int(b.length)] + h * rng.normal(), Number.MIN_VALUE);
  let flagged = 0;
  for (let r = 0; r < RESAMPLES; r++) {
    const base = Array.from({ length: nB }, draw);
    const cand = Array.from({ length: nC }, () => draw() * (1 + delta));
    if (mannWhitney(base, cand).pGreater <= threshold && shift(base, cand) > minEffect) flagged++;
  }
  return flagged / RESAMPLES;
}

/** The row's minimum detectable effect at `threshold` (its Holm level) and `minEffect`, from the baseline samples `b` and the candidate's count. */
export function detectability(key: string, b: readonly number[], nC: number, threshold: number, minEffect: number): Detectability {
  if (b.length < 2 || nC < 1) return {};
  const seed = deriveSeed(DEFAULT_BASE_SEED, `detectable:${key}`);
  let mde: number | undefined;
  if (power(b, b.length, nC, 1, threshold, minEffect, seed) >= POWER) {
    let lo = 0;
    let hi = 1;
    for (let k = 0; k < 9; k++) {
      const mid = (lo + hi) / 2;
      if (power(b, b.length, nC, mid, threshold, minEffect, seed) >= POWER) hi = mid;
      else lo = mid;
    }
    mde = hi;
  }
  let samplesFor5Pct: number | undefined;
  for (let factor = 1; factor <= 64 && (b.length + nC) * factor <= 2 * MAX_RESAMPLED; factor *= 2) {
    if (power(b, b.length * factor, nC * factor, 0.05, threshold, 0, seed) >= POWER) {
      samplesFor5Pct = nC * factor;
      break;
    }
  }
  return { mde, samplesFor5Pct };
}
