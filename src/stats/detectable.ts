// How small a slowdown the gate can see on a row: the minimum detectable effect. The baseline's own
// samples stand in for the machine's noise: resampled (with replacement, smoothed) into a baseline and a
// candidate of the run's sample counts, the candidate's multiplied by 1 + delta, and judged as the
// gate judges (one-sided U test at the row's strictest Holm level, and a shift of the median and of
// the first quartile above the minimum effect). The smallest delta flagged in at least 80% of the
// resamples is the row's minimum detectable effect; how many samples would bring it to 5% is found
// the same way with the sample counts multiplied.
// When both sides have two or more runs (processes), the gate also asks that every candidate run be
// slower than every baseline run, and by more than the minimum effect on its own; and runs differ by
// more than samples within a run do. Then each simulated run gets its own level, drawn from the spread
// of the baseline's run medians (a run-level random effect on the log scale), around which its samples
// scatter as the baseline's runs scatter around their own medians; the simulated sides are judged
// with that rule too.
import { median, quantile } from './descriptive.js';
import { deriveSeed, DEFAULT_BASE_SEED, Rng } from '../seeds.js';
import { mannWhitney } from './mann-whitney.js';
import { logRatios, pairedShift, type PairedRound } from './paired.js';
import { signedRank } from './signed-rank.js';

export const POWER = 0.8;
const RESAMPLES = 60;
/**
 * Above this many resampled values per side the search for "samples for 5%" stops, and a side is simulated at this size
 * (cost).
 */
const MAX_RESAMPLED = 4000;

/** The baseline's samples run by run, and the candidate's sample count per run. */
export interface RunStructure {
  readonly baselineRuns: readonly (readonly number[])[];
  readonly candidateCounts: readonly number[];
}

export interface Detectability {
  /** Smallest relative slowdown flagged with probability 0.8; undefined when even 100% is not. */
  readonly mde?: number;
  /**
   * Candidate samples (baseline alike) with which the test alone would detect 5% at that power; undefined when more
   * than 64 times today's.
   */
  readonly samplesFor5Pct?: number;
  /** With repeated runs, the samples for 5% come from more runs of today's length: how many per side. */
  readonly runsFor5Pct?: number;
}

function shift(b: readonly number[], c: readonly number[]): number {
  // A typed array's numeric sort: this runs on every simulated comparison, over thousands of samples.
  const sb = Float64Array.from(b).sort() as unknown as number[];
  const sc = Float64Array.from(c).sort() as unknown as number[];
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

function power(
  b: readonly number[],
  nB: number,
  nC: number,
  delta: number,
  threshold: number,
  minEffect: number,
  seed: number,
): number {
  // Beyond MAX_RESAMPLED a side is simulated at that size: the prediction is then an upper bound (more
  // samples only sharpen the test), and a run's summary stays seconds where 19,000 samples of a 0.02 ms
  // call took minutes (a burst sized by a slow warm-up call, on a busy machine).
  nB = Math.min(nB, MAX_RESAMPLED);
  nC = Math.min(nC, MAX_RESAMPLED);
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

/** The run-level model of the baseline: log residuals around each run's median, and the spread of the run medians. */
function runModel(runs: readonly (readonly number[])[]) {
  const logMedians = runs.map((r) => Math.log(median(r)));
  const centre = logMedians.reduce((x, y) => x + y, 0) / logMedians.length;
  const betweenSd = Math.sqrt(logMedians.reduce((x, y) => x + (y - centre) ** 2, 0) / (logMedians.length - 1));
  const residuals = runs.flatMap((r, i) => r.map((v) => Math.log(Math.max(v, Number.MIN_VALUE)) - logMedians[i]));
  return { centre, betweenSd, residuals, h: bandwidth(residuals) };
}

function powerOverRuns(
  model: ReturnType<typeof runModel>,
  countsB: readonly number[],
  countsC: readonly number[],
  delta: number,
  threshold: number,
  minEffect: number,
  seed: number,
): number {
  const rng = new Rng(seed);
  const { centre, betweenSd, residuals, h } = model;
  const simulateRun = (n: number, lift: number) => {
    const level = centre + lift + betweenSd * rng.normal();
    return Array.from({ length: n }, () => Math.exp(level + residuals[rng.int(residuals.length)] + h * rng.normal()));
  };
  let flagged = 0;
  for (let r = 0; r < RESAMPLES; r++) {
    const baseRuns = countsB.map((n) => simulateRun(n, 0));
    const candRuns = countsC.map((n) => simulateRun(n, Math.log1p(delta)));
    const base = baseRuns.flat();
    const cand = candRuns.flat();
    const slowestBase = Math.max(...baseRuns.map(median));
    const fastestCand = Math.min(...candRuns.map(median));
    const consistent = fastestCand > slowestBase && fastestCand / median(base) - 1 > minEffect;
    if (consistent && mannWhitney(base, cand).pGreater <= threshold && shift(base, cand) > minEffect) flagged++;
  }
  return flagged / RESAMPLES;
}

/**
 * The row's minimum detectable effect at `threshold` (its Holm level) and `minEffect`, from the baseline samples `b`
 * and the candidate's count.
 */
export function detectability(
  key: string,
  b: readonly number[],
  nC: number,
  threshold: number,
  minEffect: number,
  runs?: RunStructure,
): Detectability {
  if (b.length < 2 || nC < 1) return {};
  const seed = deriveSeed(DEFAULT_BASE_SEED, `detectable:${key}`);
  if (
    runs &&
    runs.baselineRuns.length >= 2 &&
    runs.candidateCounts.length >= 2 &&
    runs.baselineRuns.every((r) => r.length >= 1)
  ) {
    const model = runModel(runs.baselineRuns);
    const countsB = runs.baselineRuns.map((r) => r.length);
    // More samples per run cannot average out the run-to-run spread; more runs can.
    const times = (counts: readonly number[], factor: number) => Array.from({ length: factor }, () => counts).flat();
    const d = search(
      (delta, factor, effect) =>
        powerOverRuns(
          model,
          times(countsB, factor),
          times(runs.candidateCounts, factor),
          delta,
          threshold,
          effect,
          seed,
        ),
      b.length,
      nC,
      minEffect,
    );
    return d.samplesFor5Pct === undefined
      ? d
      : { ...d, runsFor5Pct: (d.samplesFor5Pct / nC) * runs.candidateCounts.length };
  }
  return search(
    (delta, factor, effect) => power(b, b.length * factor, nC * factor, delta, threshold, effect, seed),
    b.length,
    nC,
    minEffect,
  );
}

/**
 * Paired rows (paired.ts). Each simulated round resamples the observed round's burst pairs jointly
 * (a baseline burst with its own log ratio, so a slow state's bursts keep their ratios); unlike the
 * U test's resampling, no smoothing (it widened the predictions by a fifth on simulated rows); a burst
 * drawn twice is nudged by a part in 1e9 instead, so that resampling makes no ties the clock does not. The ratios are
 * re-centred on the round's median, then lifted by the slowdown plus a round level:
 * rounds are their own processes (layout, JIT), and their shifts spread beyond what sampling
 * explains (a moment estimate). Judged as the gate judges paired rows: the signed-rank test at
 * `threshold`, the pooled shift above the minimum effect, and with two or more rounds every round's.
 * More rounds, not longer ones, bring "samples for 5%" down when the rounds differ.
 */
export function pairedDetectability(
  key: string,
  rounds: readonly PairedRound[],
  threshold: number,
  minEffect: number,
): Detectability {
  const counts = rounds.map((r) => r.base.length);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total < 2) return {};
  const ratios = rounds.map(logRatios);
  const medians = ratios.map((r) => median(r));
  const residuals = ratios.map((r, i) => r.map((v) => v - medians[i]));
  const logBase = rounds.map((r) => r.base.map((v) => Math.log(v)));
  let betweenSd = 0;
  if (rounds.length >= 2) {
    const centre = medians.reduce((a, b) => a + b, 0) / medians.length;
    const observed = medians.reduce((a, b) => a + (b - centre) ** 2, 0) / (medians.length - 1);
    const within = residuals.flat().reduce((a, b) => a + b * b, 0) / Math.max(1, total - 1);
    const sampling = ((Math.PI / 2) * within) / (total / rounds.length);
    betweenSd = Math.sqrt(Math.max(0, observed - sampling));
  }
  const seed = deriveSeed(DEFAULT_BASE_SEED, `detectable-paired:${key}`);
  const powerAt = (delta: number, factor: number, effect: number) => {
    const rng = new Rng(seed);
    // One round: more bursts in it; several: more rounds like them.
    const plan =
      rounds.length >= 2
        ? Array.from({ length: factor }, () => rounds.map((_, i) => ({ i, n: counts[i] }))).flat()
        : [{ i: 0, n: counts[0] * factor }];
    let flagged = 0;
    let untie = 0;
    for (let r = 0; r < RESAMPLES; r++) {
      const sims: PairedRound[] = plan.map(({ i, n }) => {
        const level = Math.log1p(delta) + betweenSd * rng.normal();
        const base: number[] = [];
        const cand: number[] = [];
        for (let k = 0; k < n; k++) {
          const j = rng.int(counts[i]);
          const b = Math.exp(logBase[i][j]);
          base.push(b);
          // A burst drawn twice is not a tie on a continuous clock: a ratio apart by a part in 1e9 keeps the
          // signed-rank test on its exact distribution, as the gate's real bursts are. Ties would send it to the
          // normal approximation, which at 11 bursts, all slower, gives 1.9e-3 where the gate computes 4.9e-4.
          cand.push(b * Math.exp(level + residuals[i][j] + ++untie * 1e-9));
        }
        return { base, cand };
      });
      const everyRound = sims.length < 2 || sims.every((x) => pairedShift([x]) > effect);
      if (everyRound && pairedShift(sims) > effect && signedRank(sims.flatMap(logRatios)).pGreater <= threshold)
        flagged++;
    }
    return flagged / RESAMPLES;
  };
  const d = search(powerAt, total, total, minEffect);
  return d.samplesFor5Pct === undefined || rounds.length < 2
    ? d
    : { ...d, runsFor5Pct: (d.samplesFor5Pct / total) * rounds.length };
}

/** The bisection for the minimum detectable effect and the doubling for "samples for 5%", over a power function. */
function search(
  powerAt: (delta: number, factor: number, minEffect: number) => number,
  nB: number,
  nC: number,
  minEffect: number,
): Detectability {
  let mde: number | undefined;
  if (powerAt(1, 1, minEffect) >= POWER) {
    let lo = 0;
    let hi = 1;
    for (let k = 0; k < 9; k++) {
      const mid = (lo + hi) / 2;
      if (powerAt(mid, 1, minEffect) >= POWER) hi = mid;
      else lo = mid;
    }
    mde = hi;
  }
  let samplesFor5Pct: number | undefined;
  for (let factor = 1; factor <= 64 && (nB + nC) * factor <= 2 * MAX_RESAMPLED; factor *= 2) {
    if (powerAt(0.05, factor, 0) >= POWER) {
      samplesFor5Pct = nC * factor;
      break;
    }
  }
  return { mde, samplesFor5Pct };
}
