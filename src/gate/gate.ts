// The CI gate: speed (U test + minimum effect, corrected for the number of rows) and quality
// (checks, errors, objective drift) judged separately on two pooled sides.
import { globToRegExp } from '../glob.js';
import type { RunContext } from '../results/context.js';
import { quantile } from '../stats/descriptive.js';
import { testbedDifferences } from '../results/testbed-diff.js';
import type { Row } from '../types.js';
import { detectability, pairedDetectability, type RunStructure } from '../stats/detectable.js';
import { rowKey } from '../results/load-runs.js';
import { mannWhitney } from '../stats/mann-whitney.js';
import { logRatios, pairedRounds, pairedShift, type PairedRound } from '../stats/paired.js';
import type { PooledSide } from '../stats/pool.js';
import { signedRank, smallestSignedRankP } from '../stats/signed-rank.js';

export interface GateOptions {
  /** Family-wise significance level across all judged rows (Holm-Bonferroni). */
  readonly alpha: number;
  /** Smallest relative slowdown of the median that counts as a regression. */
  readonly minEffect: number;
  /** Per-row minimum effects: glob over "model/workload/size/backend" (`*` matches anything). */
  readonly overrides: readonly { readonly match: string; readonly minEffect: number }[];
}

export const GATE_DEFAULTS: GateOptions = { alpha: 0.01, minEffect: 0.05, overrides: [] };

export type SpeedVerdict = 'regression' | 'improvement' | 'unchanged' | 'too few samples' | 'not timed';

export interface SpeedRow {
  readonly key: string;
  readonly baselineMedian?: number;
  readonly candidateMedian?: number;
  readonly change?: number;
  readonly p?: number;
  readonly threshold?: number;
  readonly minEffect: number;
  /** The spread between the baseline's repeated runs (max/min of run medians - 1), when both sides were repeated;
   *  for paired rows, between the rounds' paired shifts (largest - smallest). */
  readonly runSpread?: number;
  readonly nBaseline: number;
  readonly nCandidate: number;
  readonly verdict: SpeedVerdict;
  readonly detail: string;
  /**
   * The smallest slowdown this row would be flagged for with probability 0.8, at these sample counts (detectable.ts).
   */
  readonly mde?: number;
  /** Candidate samples with which the U test alone would catch a 5% slowdown with probability 0.8. */
  readonly samplesFor5Pct?: number;
  /** With repeated runs: the runs per side (of today's length) those samples take. */
  readonly runsFor5Pct?: number;
  /**
   * Judged on paired bursts (paired.ts): how many burst pairs, in how many rounds; samplesFor5Pct then counts burst
   * pairs.
   */
  readonly paired?: { readonly bursts: number; readonly rounds: number };
}

export type QualityVerdict = 'expected failure' | 'ok' | 'failed' | 'errored' | 'moved' | 'not run';

export interface QualityRow {
  readonly key: string;
  readonly verdict: QualityVerdict;
  readonly detail: string;
}

export interface EnvDifference {
  readonly field: string;
  readonly baseline: string;
  readonly candidate: string;
}

export interface Comparison {
  readonly environment: readonly EnvDifference[];
  readonly onlyInBaseline: readonly string[];
  readonly onlyInCandidate: readonly string[];
  readonly speed: readonly SpeedRow[];
  readonly quality: readonly QualityRow[];
  readonly regressions: number;
  readonly qualityFailures: number;
  readonly options: GateOptions;
}

function minEffectFor(key: string, options: GateOptions): number {
  let effect = options.minEffect;
  for (const o of options.overrides) if (globToRegExp(o.match).test(key)) effect = o.minEffect;
  return effect;
}

function lowerQuartile(samples: readonly number[]): number {
  return quantile(
    [...samples].sort((x, y) => x - y),
    0.25,
  );
}

/** log C(n1 + n2, n1): the exact U test's smallest one-sided p-value is 1 / C(n1 + n2, n1). */
function logBinomial(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

const CONTEXT_FIELDS: readonly (readonly [string, (c: RunContext) => string])[] = [
  ['host', (c) => c.host],
  ['CPU', (c) => `${c.cpuModel} x${c.cpuCores}`],
  ['memory', (c) => `${c.memoryGiB} GiB`],
  ['OS', (c) => c.os],
  ['Node', (c) => c.nodeVersion],
  ['tfjs', (c) => c.tfjsVersion],
  ['tinybench', (c) => c.tinybenchVersion],
  ['suite', (c) => c.suite],
  ['seed', (c) => String(c.baseSeed)],
  ['injected slowdown', (c) => String((c.options as { injectSlowdown?: string }).injectSlowdown ?? 'none')],
  ['injected work', (c) => String((c.options as { injectWork?: string }).injectWork ?? 'none')],
];

function environmentDifferences(base: readonly RunContext[], cand: readonly RunContext[]): EnvDifference[] {
  const values = (ctxs: readonly RunContext[], get: (c: RunContext) => string) =>
    [...new Set(ctxs.map(get))].join(' | ');
  // The testbed first: it is what a cross-machine comparison is about (issue 34).
  const diffs: EnvDifference[] = [...testbedDifferences(base, cand)];
  for (const [field, get] of CONTEXT_FIELDS) {
    const b = values(base, get);
    const c = values(cand, get);
    if (b !== c) diffs.push({ field, baseline: b, candidate: c });
  }
  const backendDevices = (ctxs: readonly RunContext[]) => {
    const m = new Map<string, string>();
    for (const ctx of ctxs)
      for (const be of ctx.backends)
        m.set(be.name, be.available ? `${be.runtime!.version} on ${be.runtime!.device}` : `unavailable: ${be.reason}`);
    return m;
  };
  const bb = backendDevices(base);
  const cb = backendDevices(cand);
  for (const name of new Set([...bb.keys(), ...cb.keys()])) {
    if (bb.get(name) !== cb.get(name))
      diffs.push({
        field: `backend ${name}`,
        baseline: bb.get(name) ?? 'not run',
        candidate: cb.get(name) ?? 'not run',
      });
  }
  return diffs;
}

function judgeQuality(key: string, base: Row, cand: Row): QualityRow {
  if (cand.status === 'errored') return { key, verdict: 'errored', detail: cand.error ?? 'errored' };
  // A wrong answer the implementation owns up to (declared in its hello) gates nothing, as long as
  // the baseline declared it too; a new declaration does not excuse a new failure.
  if (cand.status === 'check-failed' && cand.expectedFailure !== undefined && base.expectedFailure !== undefined)
    return { key, verdict: 'expected failure', detail: cand.error ?? cand.expectedFailure };
  if (cand.status === 'check-failed') return { key, verdict: 'failed', detail: cand.error ?? 'check failed' };
  if (cand.status === 'unavailable') {
    return {
      key,
      verdict: 'not run',
      detail:
        base.status === 'unavailable' ? 'unavailable in both' : `unavailable in the candidate: ${cand.error ?? ''}`,
    };
  }
  if (base.objective !== undefined && cand.objective !== undefined && cand.tolerance !== undefined) {
    const moved = Math.abs(cand.objective - base.objective) / Math.max(Math.abs(base.objective), Number.MIN_VALUE);
    if (moved > cand.tolerance) {
      return {
        key,
        verdict: 'moved',
        detail:
          `${cand.objectiveName ?? 'objective'} ${base.objective} -> ` +
          `${cand.objective} (relative ${moved.toExponential(2)} > tolerance ` +
          `${cand.tolerance})`,
      };
    }
  }
  return { key, verdict: 'ok', detail: '' };
}

/**
 * A row's samples run by run on the baseline side, and the candidate's count per run, when both sides were repeated.
 */
function runStructure(baseline: PooledSide, candidate: PooledSide, key: string): RunStructure | undefined {
  const perRun = (side: PooledSide) =>
    side.runs.map((run) => run.rows.find((r) => rowKey(r) === key)?.rawSamples ?? []).filter((s) => s.length > 0);
  const b = perRun(baseline);
  const c = perRun(candidate);
  return b.length >= 2 && c.length >= 2 ? { baselineRuns: b, candidateCounts: c.map((s) => s.length) } : undefined;
}

/** A row that can be judged at all, with its raw one-sided p-values. */
interface Pending {
  key: string;
  b: number[];
  c: number[];
  change: number;
  pSlower: number;
  pFaster: number;
  /** log of the smallest p-value the row's sample counts allow. */
  logSmallestP: number;
  minEffect: number;
  consistentSlower: boolean;
  consistentFaster: boolean;
  /** Paired rows: their rounds of bursts. */
  rounds?: PairedRound[];
}

type SpeedBase = Pick<SpeedRow, 'key' | 'minEffect' | 'nBaseline' | 'nCandidate'>;

/**
 * Paired bursts: the shift is the median log ratio of bursts timed side by side; the machine's drift cancels in each.
 */
function pairedPending(base: SpeedBase, b: number[], c: number[], rounds: PairedRound[], medians: [number, number]) {
  const { key, minEffect } = base;
  const d = rounds.flatMap(logRatios);
  const change = pairedShift(rounds);
  const t = signedRank(d);
  const shifts = rounds.map((r) => pairedShift([r]));
  const consistentSlower = rounds.length < 2 || shifts.every((x) => x > minEffect);
  const consistentFaster = rounds.length < 2 || shifts.every((x) => -x > minEffect);
  const runSpread = rounds.length >= 2 ? Math.max(...shifts) - Math.min(...shifts) : undefined;
  const logSmallestP = Math.log(smallestSignedRankP(t.n));
  const pending: Pending = {
    key,
    b,
    c,
    change,
    pSlower: t.pGreater,
    pFaster: t.pLess,
    logSmallestP,
    minEffect,
    consistentSlower,
    consistentFaster,
    rounds,
  };
  const [baselineMedian, candidateMedian] = medians;
  const paired = { bursts: d.length, rounds: rounds.length };
  const speed: SpeedRow = {
    ...base,
    runSpread,
    baselineMedian,
    candidateMedian,
    change,
    p: t.pGreater,
    verdict: 'unchanged',
    detail: '',
    paired,
  };
  return { pending, speed };
}

/** Independent samples: the U test, with repeated runs each held to the minimum effect. */
function unpairedPending(
  base: SpeedBase,
  b: number[],
  c: number[],
  bRuns: readonly number[],
  cRuns: readonly number[],
  medians: [number, number],
) {
  const { key, minEffect } = base;
  const [bm, cm] = medians;
  // On a shared machine a preempted iteration gains a scheduler tick or more, so the upper half of
  // the samples is noise-prone; a real slowdown moves the body of the distribution too. The effect
  // is therefore the smaller of the shifts of the median and of the first quartile.
  const change =
    Math.sign(cm / bm - 1) * Math.min(Math.abs(cm / bm - 1), Math.abs(lowerQuartile(c) / lowerQuartile(b) - 1));
  const u = mannWhitney(b, c);
  // Processes differ by more than samples within one process do (memory layout, a neighbour's burst):
  // with repeated runs, a slowdown must show in every candidate run against every baseline run.
  const repeated = bRuns.length >= 2 && cRuns.length >= 2;
  // ...and by more than the minimum effect in each candidate run on its own, so that one slow process
  // (on a shared machine a whole process can run 10-40% slow) cannot carry the pooled shift.
  const consistentSlower =
    !repeated || (Math.min(...cRuns) > Math.max(...bRuns) && Math.min(...cRuns) / bm - 1 > minEffect);
  const consistentFaster =
    !repeated || (Math.max(...cRuns) < Math.min(...bRuns) && 1 - Math.max(...cRuns) / bm > minEffect);
  const runSpread = repeated ? Math.max(...bRuns) / Math.min(...bRuns) - 1 : undefined;
  const logSmallestP = -logBinomial(b.length + c.length, c.length);
  const pending: Pending = {
    key,
    b,
    c,
    change,
    pSlower: u.pGreater,
    pFaster: u.pLess,
    logSmallestP,
    minEffect,
    consistentSlower,
    consistentFaster,
  };
  const speed: SpeedRow = {
    ...base,
    runSpread,
    baselineMedian: bm,
    candidateMedian: cm,
    change,
    p: u.pGreater,
    verdict: 'unchanged',
    detail: '',
  };
  return { pending, speed };
}

/** One row's raw comparison: a row not timed on one side, or a pending row with its provisional speed row. */
function measureRow(key: string, baseline: PooledSide, candidate: PooledSide, options: GateOptions) {
  const b = baseline.rows.get(key)!.rawSamples ?? [];
  const c = candidate.rows.get(key)!.rawSamples ?? [];
  const base: SpeedBase = { key, minEffect: minEffectFor(key, options), nBaseline: b.length, nCandidate: c.length };
  if (b.length === 0 || c.length === 0) {
    return { speed: { ...base, verdict: 'not timed', detail: 'no timing samples on one side' } as SpeedRow };
  }
  const medians: [number, number] = [baseline.rows.get(key)!.medianMs!, candidate.rows.get(key)!.medianMs!];
  const rounds = pairedRounds(baseline, candidate, key);
  if (rounds) return pairedPending(base, b, c, rounds, medians);
  return unpairedPending(base, b, c, baseline.runMedians.get(key) ?? [], candidate.runMedians.get(key) ?? [], medians);
}

/** Holm-Bonferroni over the judged rows: the i-th smallest p is held to alpha / (m - i). */
function holm(ps: readonly number[], alpha: number): { rejected: boolean[]; threshold: number[] } {
  const m = ps.length;
  const order = ps.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const threshold = new Array<number>(m).fill(0);
  order.forEach(([, i], rank) => (threshold[i] = alpha / (m - rank)));
  const rejected = new Array<boolean>(m).fill(false);
  let stillRejecting = true;
  for (const [p, i] of order) {
    if (stillRejecting && p <= threshold[i]) rejected[i] = true;
    else stillRejecting = false;
  }
  return { rejected, threshold };
}

interface Tests {
  readonly slowerRejected: boolean;
  readonly fasterRejected: boolean;
  readonly threshold: number;
  /** The strictest level a single regressed row faces: alpha / m. */
  readonly level: number;
}

/** The verdict of one pending row and the sentence that says why. */
function speedVerdict(p: Pending, row: SpeedRow, t: Tests): { verdict: SpeedVerdict; detail: string } {
  const pct = `${(p.change * 100).toFixed(1)}%`;
  const bursts = p.rounds?.reduce((n, r) => n + r.base.length, 0);
  const how = p.rounds ? `paired over ${bursts} bursts in ${p.rounds.length} round(s)` : '';
  const minPct = (p.minEffect * 100).toFixed(0);
  if (!(p.logSmallestP <= Math.log(t.level))) {
    const detail = p.rounds
      ? `${bursts} paired bursts cannot reach p <= ${t.level.toExponential(1)}` +
        `; raise the cell's timeMs (more bursts) or --repeat`
      : `${p.b.length} vs ${p.c.length} samples cannot reach p <= ` +
        `${t.level.toExponential(1)}; repeat the runs (--repeat) or raise the ` +
        `suite's time`;
    return { verdict: 'too few samples', detail };
  }
  if (t.slowerRejected && p.change > p.minEffect && p.consistentSlower) {
    const every = p.rounds
      ? p.rounds.length >= 2
        ? ', in every round'
        : ''
      : row.runSpread === undefined
        ? ''
        : ', in every run';
    const detail =
      `shift ${pct} slower (> ${minPct}%), p = ${p.pSlower.toExponential(2)}` +
      ` <= ${t.threshold.toExponential(2)}${every}${how ? `; ${how}` : ''}`;
    return { verdict: 'regression', detail };
  }
  if (t.fasterRejected && -p.change > p.minEffect && p.consistentFaster) {
    return {
      verdict: 'improvement',
      detail: `shift ${pct}, p = ${p.pFaster.toExponential(2)}${how ? `, ${how}` : ''}`,
    };
  }
  if (t.slowerRejected && p.change > p.minEffect) {
    const detail = p.rounds
      ? `shift ${pct}: significant, but not above the ${minPct}% minimum ` +
        `effect in every round (rounds: ` +
        `${p.rounds.map((r) => `${(pairedShift([r]) * 100).toFixed(1)}%`).join(', ')}` +
        `)`
      : `shift ${pct}: significant, but some candidate run was not slower than ` +
        `every baseline run, or not by the minimum effect on its own (runs are ` +
        `noisy: baseline runs differ by ` +
        `${((row.runSpread ?? 0) * 100).toFixed(1)}%)`;
    return { verdict: 'unchanged', detail };
  }
  if (t.slowerRejected)
    return { verdict: 'unchanged', detail: `shift ${pct}: significant but below the ${minPct}% minimum effect` };
  return { verdict: 'unchanged', detail: `shift ${pct}, p = ${p.pSlower.toExponential(2)}${how ? `, ${how}` : ''}` };
}

/** Every pending row judged together (Holm over them), with its detectability at the level it faces. */
function judgePending(
  pending: readonly Pending[],
  speed: Map<string, SpeedRow>,
  baseline: PooledSide,
  candidate: PooledSide,
  options: GateOptions,
): void {
  const level = options.alpha / Math.max(1, pending.length);
  const slower = holm(
    pending.map((p) => p.pSlower),
    options.alpha,
  );
  const faster = holm(
    pending.map((p) => p.pFaster),
    options.alpha,
  );
  pending.forEach((p, i) => {
    const row = speed.get(p.key)!;
    const tests = {
      slowerRejected: slower.rejected[i],
      fasterRejected: faster.rejected[i],
      threshold: slower.threshold[i],
      level,
    };
    const { verdict, detail } = speedVerdict(p, row, tests);
    const d = p.rounds
      ? pairedDetectability(p.key, p.rounds, level, p.minEffect)
      : detectability(p.key, p.b, p.c.length, level, p.minEffect, runStructure(baseline, candidate, p.key));
    const { mde, samplesFor5Pct, runsFor5Pct } = d;
    speed.set(p.key, { ...row, threshold: slower.threshold[i], verdict, detail, mde, samplesFor5Pct, runsFor5Pct });
  });
}

export function compare(baseline: PooledSide, candidate: PooledSide, options: GateOptions = GATE_DEFAULTS): Comparison {
  const keys = [...baseline.rows.keys()].filter((k) => candidate.rows.has(k));
  const onlyInBaseline = [...baseline.rows.keys()].filter((k) => !candidate.rows.has(k));
  const onlyInCandidate = [...candidate.rows.keys()].filter((k) => !baseline.rows.has(k));
  const quality = keys.map((k) => judgeQuality(k, baseline.rows.get(k)!, candidate.rows.get(k)!));
  const pending: Pending[] = [];
  const speed = new Map<string, SpeedRow>();
  for (const key of keys) {
    const measured = measureRow(key, baseline, candidate, options);
    speed.set(key, measured.speed);
    if ('pending' in measured && measured.pending) pending.push(measured.pending);
  }
  judgePending(pending, speed, baseline, candidate, options);
  const speedRows = keys.map((k) => speed.get(k)!);
  const contexts = (side: PooledSide) => side.runs.map((r) => r.context);
  const failedQuality = (q: QualityRow) => q.verdict === 'failed' || q.verdict === 'errored' || q.verdict === 'moved';
  return {
    environment: environmentDifferences(contexts(baseline), contexts(candidate)),
    onlyInBaseline,
    onlyInCandidate,
    speed: speedRows,
    quality,
    regressions: speedRows.filter((s) => s.verdict === 'regression').length,
    qualityFailures: quality.filter(failedQuality).length,
    options,
  };
}
