// How a bisect probe is judged against GOOD, by what it measured: time by the gate's U test and
// minimum effect (gate.ts), counted instructions by the counted gate (counted-gate.ts: estimated
// cycles per call above the larger of the minimum effect and both sides' spreads). Counts per call
// depend on the counted span, so a probe counted over another span than GOOD's cannot be compared:
// it is skipped, as a commit that does not run is, and said.
import { compareCounted, COUNTED_MIN_EFFECT, type CountedRow } from '../gate/counted-gate.js';
import type { SpeedRow } from '../gate/gate.js';
import type { LoadedRun } from '../results/load-runs.js';
import { rowKey } from '../results/load-runs.js';
import { pool } from '../stats/pool.js';
import { judge } from './bisect.js';

export const MEASURES = ['time', 'instructions'] as const;
export type Measure = (typeof MEASURES)[number];

/** The minimum effect each measure's gate uses when --min-effect is not given. */
export const DEFAULT_MIN_EFFECT: Readonly<Record<Measure, number>> = { time: 0.05, instructions: COUNTED_MIN_EFFECT };

export interface ProbeVerdict {
  readonly outcome: 'slower' | 'not slower' | 'skipped';
  /** The relative change against the baseline of the judgement, when one was measured. */
  readonly change?: number;
  /** What was measured and how it was judged, for the probe's line: "median 1.2 ms, +3.1% against GOOD". */
  readonly measured: string;
  /** The change alone, for the boundary's line: "+3.1% against abc1234 ...". */
  readonly relative: string;
  readonly verdict: string;
}

const pct = (x: number | undefined) =>
  x === undefined ? '?' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(x !== 0 && Math.abs(x) < 0.01 ? 3 : 1)}%`;
const pValue = (p: number) => (p < 1e-12 ? 'p < 1e-12' : `p ${p.toExponential(1)}`);

function timeVerdict(s: SpeedRow | undefined, against: string): ProbeVerdict {
  const verdict = s ? `${s.verdict}${s.p === undefined ? '' : `, ${pValue(s.p)}`}` : 'not judged';
  const relative = `${pct(s?.change)} against ${against}`;
  return {
    outcome: s?.verdict === 'regression' ? 'slower' : 'not slower',
    change: s?.change,
    measured: `median ${s?.candidateMedian?.toPrecision(4)} ms, ${relative}`,
    relative,
    verdict,
  };
}

/** The counted gate's row as a probe's verdict; spans that differ (or a row left uncounted) skip the probe. */
export function countedVerdict(c: CountedRow | undefined, against: string): ProbeVerdict {
  if (!c || c.verdict === 'not compared') {
    return {
      outcome: 'skipped',
      measured: 'counted',
      relative: `? against ${against}`,
      verdict: `not compared: ${c?.note ?? 'the row was not counted at both commits'}`,
    };
  }
  const relative = `${pct(c.change)} against ${against} (instructions ${pct(c.instructionsChange)})`;
  return {
    outcome: c.verdict === 'regression' ? 'slower' : 'not slower',
    change: c.change,
    measured: `est. cycles/call ${c.candidateCycles?.toFixed(0)}, ${relative}`,
    relative,
    verdict: `${c.verdict} (detectable ${pct(c.detectable).replace(/^\+/, '')})`,
  };
}

/** One probe (or the boundary) judged against a baseline run, on one row, by the measure asked for. */
export function judgeProbe(
  measure: Measure,
  baseline: LoadedRun,
  probe: LoadedRun,
  key: string,
  minEffect: number,
  against: string,
): ProbeVerdict {
  if (measure === 'time') return timeVerdict(judge(baseline, probe, key, minEffect), against);
  const counted = compareCounted(pool([baseline]).rows, pool([probe]).rows, minEffect);
  return countedVerdict(
    counted.rows.find((r) => r.key === key),
    against,
  );
}

/** GOOD's own line: what it measured of the row. */
export function baselineMeasured(measure: Measure, run: LoadedRun, key: string): string {
  const row = run.rows.find((r) => rowKey(r) === key);
  if (measure === 'instructions') {
    return (
      `est. cycles/call ${row?.estCyclesPerCall?.toFixed(0)}, ` +
      `instructions/call ${row?.instructionsPerCall?.toFixed(0)} ` +
      `(span ${row?.countedCalls} calls)`
    );
  }
  return `median ${run.rows.find((r) => r.rawSamples?.length)?.medianMs?.toPrecision(4)} ms`;
}

/** A counted probe's run if it counted the row, or why not (its count note, or the row's error). */
export function countedRow(
  run: LoadedRun | undefined,
  key: string,
  failure: string,
): { run?: LoadedRun; why?: string } {
  const row = run?.rows.find((r) => rowKey(r) === key);
  if (row?.estCyclesPerCall !== undefined) return { run };
  if (!row) return { why: failure };
  const why = row.countNote ?? (row.error ?? '').split('\n')[0].slice(0, 160);
  return { why: `${row.status}, not counted${why ? `: ${why}` : ''}` };
}
