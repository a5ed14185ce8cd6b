// Paired bursts: an interleaved run times its builds' processes in turns of short bursts on one CPU
// (bench/paired-cell.ts), and every run of a round carries the round's name (`pairedRound`). For a
// row, burst i of the candidate and burst i of the baseline in the same round were timed within a
// fraction of a second of each other, so their ratio is free of the machine's drift, which moves
// whole processes by 40% on a shared machine. The gate tests those ratios (signed-rank test).
// What pairing cannot cancel: a process of its own flips between a fast and a slow state for a few
// bursts at a time (measured: VAE decode 13.3 or 20.8 ms per call, the other build's process in the
// neighbouring bursts unaffected). So the shift is the smaller of the median paired ratio and the
// ratio of the sides' first quartiles of burst medians (each side's fast state), as the unpaired
// gate takes the smaller of the median's and the first quartile's shifts: a real slowdown moves both.
import { median, quantile } from './descriptive.js';
import { rowKey, type LoadedRun } from '../results/load-runs.js';
import type { PooledSide } from './pool.js';

/** One round of a row: the medians of its bursts, baseline and candidate, in time order (burst i with burst i). */
export interface PairedRound {
  readonly base: readonly number[];
  readonly cand: readonly number[];
}

const roundOf = (run: LoadedRun) => (run.context.options as { pairedRound?: unknown }).pairedRound;

function bursts(run: LoadedRun, key: string): readonly number[] | undefined {
  const row = run.rows.find((r) => rowKey(r) === key);
  const b = row?.status === 'ok' || row?.status === 'check-failed' ? row.burstMedians : undefined;
  return b && b.length > 0 && b.every((v) => v > 0 && Number.isFinite(v)) ? b : undefined;
}

/**
 * The row's paired rounds; undefined unless every run of both sides is a paired run whose round the other side also
 * ran, with bursts on this row.
 */
export function pairedRounds(baseline: PooledSide, candidate: PooledSide, key: string): PairedRound[] | undefined {
  if (baseline.runs.length === 0 || baseline.runs.length !== candidate.runs.length) return undefined;
  const rounds: PairedRound[] = [];
  for (const b of baseline.runs) {
    const round = roundOf(b);
    if (typeof round !== 'string') return undefined;
    const c = candidate.runs.find((r) => roundOf(r) === round);
    if (!c) return undefined;
    const base = bursts(b, key);
    const cand = bursts(c, key);
    if (!base || !cand || base.length !== cand.length) return undefined;
    rounds.push({ base, cand });
  }
  return rounds;
}

const firstQuartile = (xs: readonly number[]): number =>
  quantile(
    [...xs].sort((x, y) => x - y),
    0.25,
  );

export const logRatios = (r: PairedRound): number[] => r.cand.map((c, i) => Math.log(c / r.base[i]));

/**
 * The shift of one or more rounds: the median paired ratio's, or the first quartiles' if smaller (the sign is the
 * median's).
 */
export function pairedShift(rounds: readonly PairedRound[]): number {
  const shift = Math.expm1(median(rounds.flatMap(logRatios)));
  const q1 = firstQuartile(rounds.flatMap((r) => r.cand)) / firstQuartile(rounds.flatMap((r) => r.base)) - 1;
  return Math.sign(shift) * Math.min(Math.abs(shift), Math.abs(q1));
}
