// The human summary of a run: the table printed at the end and written to summary.txt.
import type { DetectableMark } from '../timing/suite.js';
import { detectability, POWER } from '../stats/detectable.js';
import { GATE_DEFAULTS } from '../gate/gate.js';
import type { Row } from '../types.js';
import { isImplementationRow } from '../results/row-identity.js';
import type { RunContext } from '../results/context.js';
import { fmt, textTable } from '../format.js';
import { testbedOf } from '../results/testbed-diff.js';

/** Per timed row, as a baseline for the next run of the same suite: the smallest slowdown the gate
 *  (its default alpha, Holm over the run's timed rows, and minimum effect) would flag with power 0.8,
 *  from the row's own samples (src/stats/detectable.ts). Memoised: the summary is printed and written. */
const detectableMemo = new WeakMap<readonly number[], number | null>();
function detectableOf(r: Row, timedRows: number): number | null | undefined {
  const samples = r.rawSamples;
  if (!samples || samples.length < 3 || r.status === 'unavailable' || r.status === 'errored') return undefined;
  if (!detectableMemo.has(samples)) {
    const d = detectability(
      `${r.model}/${r.workload}/${r.size}/${r.backend}`,
      samples,
      samples.length,
      GATE_DEFAULTS.alpha / Math.max(1, timedRows),
      GATE_DEFAULTS.minEffect,
    );
    detectableMemo.set(samples, d.mde ?? null);
  }
  return detectableMemo.get(samples);
}

/** The run's table; `detectable` adds each row's minimum detectable slowdown (costly: for the finished run). */
export function summaryTable(rows: readonly Row[], options: { detectable?: boolean } = {}): string {
  const timed = rows.filter((r) => (r.rawSamples?.length ?? 0) >= 3).length;
  const header = [
    'model',
    'workload',
    'size',
    'backend',
    'status',
    'median ms',
    '±rme %',
    'throughput',
    'GFLOP/s (of ceiling)',
    ...(options.detectable ? ['detectable'] : []),
    'objective (oracle)',
    'check',
    'note',
  ];
  const body = rows.map((r) => [
    r.model,
    r.workload,
    r.size,
    r.backend,
    r.status,
    fmt(r.medianMs, 4),
    fmt(r.rmePct, 2),
    r.throughput === undefined ? '' : `${fmt(r.throughput, 3)} ${r.throughputUnit ?? ''}`,
    r.gflops === undefined
      ? ''
      : `${fmt(r.gflops, 3)}${r.ceilingFraction === undefined ? '' : ` (${(100 * r.ceilingFraction).toFixed(0)}%)`}`,
    ...(options.detectable ? [detectableLabel(detectableOf(r, timed))] : []),
    r.oracleObjective === undefined ? '' : `${r.objectiveName} ${fmt(r.oracleObjective, 12)}`,
    r.check ?? '',
    (r.error ?? r.efficiencyNote ?? '').slice(0, 90),
  ]);
  return textTable(header, body);
}

/**
 * The counted measure of the rows that asked for it (run --measure instructions): per call, with the spread over the
 * counted processes; empty when none did.
 */
export function countedTable(rows: readonly Row[]): string {
  const asked = rows.filter((r) => r.estCyclesPerCall !== undefined || r.countNote !== undefined);
  if (asked.length === 0) return '';
  const header = [
    'model',
    'workload',
    'size',
    'backend',
    'instructions/call',
    'L1 misses/call',
    'LL misses/call',
    'est. cycles/call',
    'spread %',
    'calls x processes',
    'note',
  ];
  const body = asked.map((r) => [
    r.model,
    r.workload,
    r.size,
    r.backend,
    fmt(r.instructionsPerCall, 6),
    fmt(r.l1MissesPerCall, 4),
    fmt(r.llMissesPerCall, 4),
    fmt(r.estCyclesPerCall, 6),
    r.countSpreadPct === undefined ? '' : r.countSpreadPct.toFixed(3),
    r.countedCalls === undefined ? '' : `${r.countedCalls} x ${r.countedProcesses}`,
    (r.countNote ?? '').slice(0, 90),
  ]);
  return (
    `counted (valgrind: callgrind's regions for ours, cachegrind for implementations; ` +
    `estimated cycles = instructions + 10 per L1 miss + 100 more per last-level miss):\n` +
    `${textTable(header, body)}`
  );
}

/**
 * Each implementation-under-test row beside our fastest ok row of the same model, workload and size: time ratio and
 * objective gap.
 */
export function peerComparison(rows: readonly Row[]): string {
  const lines: string[][] = [];
  for (const peer of rows.filter((r) => isImplementationRow(r) && r.status === 'ok')) {
    // Old runs' peer sizes may carry a thread count (batch=128;threads=2); ours is the same cell without it.
    const size = peer.size
      .split(';')
      .filter((part) => !part.startsWith('threads='))
      .join(';');
    const ours = rows
      .filter(
        (r) =>
          !isImplementationRow(r) &&
          r.status === 'ok' &&
          r.model === peer.model &&
          r.workload === peer.workload &&
          r.size === size,
      )
      .sort((a, b) => a.medianMs! - b.medianMs!)[0];
    if (!ours) continue;
    lines.push([
      `${peer.model}/${peer.workload}`,
      peer.size,
      ours.backend,
      peer.backend,
      `${fmt(ours.medianMs, 4)} / ${fmt(peer.medianMs, 4)} ms`,
      fmt(ours.medianMs! / peer.medianMs!, 3),
      objectiveComparison(ours, peer),
    ]);
  }
  if (lines.length === 0) return '';
  return textTable(
    [
      'cell',
      'size',
      'ours (fastest)',
      'implementation',
      'median ours / theirs',
      'time ratio',
      'objective: ours vs theirs',
    ],
    lines,
  );
}

/**
 * The two objectives' relative difference where both are the same quantity at an optimum of the same
 * data (a fit); elsewhere each side's own number, said to be at its own parameters — a prediction from
 * our seeded weights and one from its own fit are not the same quantity.
 */
function objectiveComparison(ours: Row, peer: Row): string {
  if (ours.oracleObjective === undefined || peer.oracleObjective === undefined) return '';
  if (ours.objectiveAtOptimum && peer.objectiveAtOptimum && ours.objectiveName === peer.objectiveName) {
    return `rel. diff ${fmt((ours.oracleObjective - peer.oracleObjective) / Math.abs(peer.oracleObjective), 2)}`;
  }
  return (
    `not comparable (each at its own parameters): ` +
    `${fmt(ours.oracleObjective, 6)} vs ${fmt(peer.oracleObjective, 6)}`
  );
}

function detectableLabel(mde: number | null | undefined): string {
  if (mde === undefined) return '';
  return mde === null ? '> 100%' : `${(100 * mde).toFixed(mde < 0.1 ? 1 : 0)}%`;
}

/** The suite's marks on cells whose slowdowns its gate calibration could not bring within reach (cli/run.ts). */
export interface MeasuredDetectable {
  /** Per backend, the calibration folder its marks come from. */
  readonly calibration?: Readonly<Record<string, string>>;
  readonly marks: readonly ({ readonly cell: string; readonly backend: string } & DetectableMark)[];
}

const percent = (x: number) => (x >= 1 ? '> 100%' : `${(100 * x).toFixed(1)}%`);

/** Lines naming the cells of this run that the suite marks, with what its calibration measured on them. */
export function measuredDetectableLines(ctx: RunContext): string | undefined {
  const m = ctx.options.measuredDetectable as MeasuredDetectable | undefined;
  if (!m || m.marks.length === 0) return undefined;
  const backends = [...new Set(m.marks.map((x) => x.backend))];
  const sources = backends.flatMap((b) => (m.calibration?.[b] ? [`${b}: ${m.calibration[b]}`] : []));
  return [
    `the suite marks these cells as beyond its gate's reach within its ` +
      `time budget (measured by its calibration` +
      `${sources.length ? ` (${sources.join('; ')})` : ''}: the minimum ` +
      `detectable slowdown the gate predicted, and how often an injected ` +
      `slowdown was caught):`,
    // 1 stands for "more than 100%": the calibration's search stops at a doubling.
    ...m.marks.map(
      (x) =>
        `  ${x.cell} on ${x.backend}: ${percent(x.mde)} predicted` +
        (x.pairs !== undefined
          ? `; an injected ${(100 * x.injected!).toFixed(0)}% slowdown caught in ${x.caught} of ${x.pairs} pairs`
          : ''),
    ),
  ].join('\n');
}

export function summaryText(ctx: RunContext, rows: readonly Row[]): string {
  const lines = [
    `modelbench run ${ctx.runId}`,
    `suite ${ctx.suite}; seed ${ctx.baseSeed}; git ${ctx.gitSha.slice(0, 12)}${ctx.gitDirty ? ' (dirty)' : ''}`,
    `${ctx.cpuModel} x${ctx.cpuCores}, ${ctx.memoryGiB} GiB, ${ctx.os}; ` +
      `Node ${ctx.nodeVersion}, tfjs ${ctx.tfjsVersion}, tinybench ` +
      `${ctx.tinybenchVersion}`,
    ...ctx.backends.map((b) =>
      b.available
        ? `backend ${b.name}: ${b.runtime!.version} on ${b.runtime!.device}`
        : `backend ${b.name}: unavailable (${b.reason}); fix: ${b.fix}`,
    ),
    '',
    summaryTable(rows, { detectable: ctx.complete === true }),
  ];
  const counted = countedTable(rows);
  if (counted) lines.push('', counted);
  const marked = measuredDetectableLines(ctx);
  if (marked) lines.push('', marked);
  if (ctx.complete === true)
    lines.push(
      '',
      `detectable: the smallest slowdown \`compare\` would flag with ` +
        `probability ${POWER} against this run as the baseline (same sample ` +
        `counts; alpha ${GATE_DEFAULTS.alpha} over the timed rows, minimum ` +
        `effect ${100 * GATE_DEFAULTS.minEffect}%); more samples (the suite's ` +
        `timeMs) lower it`,
    );
  const peers = peerComparison(rows);
  if (peers)
    lines.push(
      '',
      'against the implementations under test (time ratio < 1: ours is faster; rel. diff < 0: our optimum is lower):',
      peers,
      ratiosTestbedLine(ctx),
    );
  lines.push('', `verdict: ${runVerdict(ctx, rows)}`);
  return lines.join('\n') + '\n';
}

/** Ratios against peers move with the machine: the testbed they were measured on, said under them. */
export function ratiosTestbedLine(ctx: RunContext): string {
  const t = ctx.testbed;
  if (!t) return `these ratios hold for this machine only: ${testbedOf(ctx)}`;
  const has = (f: string) => t.cpu.flags.includes(f);
  const vector = has('avx512f')
    ? 'AVX-512'
    : has('avx2')
      ? 'AVX2'
      : has('avx')
        ? 'AVX'
        : has('sse4_2')
          ? 'SSE4.2'
          : 'no AVX';
  const isa = `${vector}${has('amx_tile') ? ' and AMX' : ''}`;
  return (
    `these ratios hold for testbed ${t.id} only (${t.cpu.name}, ` +
    `${t.cpu.logicalCores} logical cores, ${isa}): compare ratios from one ` +
    `run`
  );
}

/** A row that makes a run INVALID: errored, or failed its check without declaring it an expected failure. */
export function isFailing(r: Row): boolean {
  return r.status === 'errored' || (r.status === 'check-failed' && r.expectedFailure === undefined);
}

/** A run that measured nothing says so: every row unavailable (the backends asked for are not here) is no result. */
export const NOTHING_RAN =
  'no cell ran: every backend and implementation asked for is unavailable here (each row says why, and the fix)';

/**
 * Why a finished run is INVALID (a row errored or failed its check, or no cell ran at all), or undefined when it is
 * VALID.
 */
export function invalidReason(rows: readonly Row[]): string | undefined {
  const bad = rows.filter(isFailing);
  if (bad.length > 0) return `${bad.length} row(s) errored or failed their check`;
  if (!rows.some((r) => r.status !== 'unavailable')) return NOTHING_RAN;
  return undefined;
}

/**
 * VALID only for a finished run in which some cell ran and every row passed; a run that stopped half-way is INCOMPLETE.
 */
export function runVerdict(ctx: Pick<RunContext, 'complete'>, rows: readonly Row[]): string {
  if (ctx.complete === false)
    return (
      `INCOMPLETE (the run stopped, or is still running, after ${rows.length}` +
      ` row(s); its rows are readable but it is not a result)`
    );
  const bad = rows.filter(isFailing);
  if (bad.length > 0) return `INVALID (${bad.length} row(s) errored or failed a check)`;
  const why = invalidReason(rows);
  return why ? `INVALID (${why})` : 'VALID (every check passed)';
}

/** The run's last line on the terminal: VALID or INVALID with the reason (cli/run.ts, for every form of run). */
export function verdictLine(rows: readonly Row[]): string {
  const why = invalidReason(rows);
  return why ? `INVALID: ${why}\n` : 'VALID: every check passed\n';
}
