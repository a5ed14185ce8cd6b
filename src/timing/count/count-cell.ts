// One cell counted: a native probe judges the cell with the oracle and sizes the span (how many calls
// make the counted region about 50 ms of native work, so that it holds many of V8's collections), then
// three processes each count one region of `span` calls under callgrind with the region counter
// (region-counter.ts: start-up, preparation and warm-up are not instrumented), as many at once as the
// count pool allows (one per core: pool.ts). Each process gives one estimate per call, its region's
// counts over the span; the row gets their medians and their spread.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Seeds } from '../../seeds.js';
import type { BackendRuntime, Row } from '../../types.js';
import type { ChildMessage } from '../messages.js';
import { lastErrorLine, startWorker } from '../spawn-worker.js';
import { MAX_COUNT_SPAN, type Cell } from '../suite.js';
import { fromRegions, type PerIteration } from './per-iteration.js';
import { countPool } from './pool.js';
import { callgrindArgs, readCounts, V8_DETERMINISTIC, type Counts } from './valgrind.js';

/**
 * Processes at the higher count per implementation's cell (with the one at the lower, three counted): the spread of
 * their estimates is the measure's noise.
 */
export const COUNTED_PROCESSES = 2;
/** Counted processes per cell of ours, each with its one region: three estimates. */
export const REGION_PROCESSES = 3;
const WARMUP_CALLS = 2;
/**
 * The least warm-up of ours, in calls, however short the span: V8 tiers a function up by how much of it has run, and a
 * long call with a span of 1 or 2 reaches its steady state only after several calls. What V8's compilers still do
 * in a region is not counted (valgrind.ts); 8 calls rather than 32 made the quick suite's counted rows take 16 min 49 s
 * instead of 29 min 56 s, with 19-24 of 28 rows within 0.05% from run to run (22 of 28 with 32 calls before).
 */
export const MIN_WARMUP_CALLS = 8;
/**
 * Warm-up calls per counted call: V8 optimises a short call only after many of them, and with a warm-up of one span
 * (4 calls of cpu svm decision-rbf) TurboFan compiled inside the counted region, 12% of its instructions, and compiled
 * differently in one process of three. A multiple of the span and not a native time: the warm-up changes the counts
 * that follow it (V8's collections fall elsewhere), so it must be the same in every run that is compared, whatever the
 * probe's clock said (a time-sized warm-up moved an identical pair's counts by 7%).
 */
export const WARMUP_SPANS = 4;
/**
 * The counted span's native length to aim for: about 2-12 s under valgrind. 50 ms of calls (tens of millions of
 * instructions at least) dwarf what brackets the region, and hold many of V8's minor collections.
 */
export const TARGET_NATIVE_MS = 50;
/**
 * One call can be a span of ours: the counted regions hold nothing but calls, so a long call needs no company.
 * Whole processes (implementations) need four: their difference also holds what V8's collections amortise.
 */
export const MIN_REGION_SPAN = 1;
export const MIN_PROCESS_SPAN = 4;
/** A counted process still running after this is stuck (valgrind runs 40-250x slower than native). */
const COUNT_LIMIT_MS = 30 * 60 * 1000;

export interface CountPlan {
  /** Untimed calls before the counted loop in every process: V8 optimises hot code by call counts, once. */
  readonly warmup: number;
  /** Ours: the calls in the counted region. Implementations: the lower process's calls. */
  readonly lo: number;
  /** Implementations: the higher processes' calls (the span is hi - lo). */
  readonly hi: number;
}

/**
 * How many calls the counted span needs, from the call's native time: a power of two, so that the
 * probe's timing noise seldom changes it (the count per call depends on the span: longer loops have
 * more of V8's major collections in them; the counted gate compares rows of equal spans only). The
 * warm-up is WARMUP_SPANS spans and at least MIN_WARMUP_CALLS calls, so that the compilations V8 does after so many
 * calls fall before the counted calls in every process, which then are steady-state calls.
 */
export function countPlan(
  nativeMsPerCall: number,
  span?: number,
  targetMs = TARGET_NATIVE_MS,
  minSpan = MIN_REGION_SPAN,
  warmupSpans = WARMUP_SPANS,
  minWarmup = MIN_WARMUP_CALLS,
): CountPlan {
  const wanted = targetMs / Math.max(nativeMsPerCall, 1e-3);
  const calls = span ?? Math.min(MAX_COUNT_SPAN, Math.max(minSpan, 2 ** Math.round(Math.log2(wanted))));
  return { warmup: Math.max(minWarmup, warmupSpans * calls), lo: calls, hi: 2 * calls };
}

/**
 * How much slower a call runs in the counted region (callgrind instrumenting, its caches simulated) than in the warm-up
 * before it (valgrind translating, not instrumenting): measured here, cpu vae train-step, 60 M against 860 M
 * instructions a second.
 */
const INSTRUMENTED_SLOWDOWN = 14;

/** A counted process's length in native milliseconds of calls, weighed as they run under valgrind: longest first. */
export function countedCost(plan: CountPlan, nativeMsPerCall: number): number {
  return nativeMsPerCall * (plan.warmup + INSTRUMENTED_SLOWDOWN * (plan.lo + 1));
}

interface CountedProcess {
  readonly runtime?: BackendRuntime;
  readonly unavailable?: { readonly reason: string; readonly fix: string };
  readonly row?: Row;
  readonly loopMsPerCall?: number;
  readonly region?: Counts;
  readonly error?: string;
}

/** One process of a cell: the native probe (no counter) or a counted one, whose regions the counter dumps. */
async function runCounted(
  backend: string,
  cell: Cell,
  seeds: Seeds,
  warmup: number,
  iterations: number,
  counter?: string,
): Promise<CountedProcess> {
  const counted = counter !== undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-count-'));
  const outFile = path.join(dir, 'callgrind.out');
  let result: Omit<CountedProcess, 'counts'> = {};
  let runtime: BackendRuntime | undefined;
  const onMessage = (m: ChildMessage) => {
    if (m.type === 'runtime') runtime = m.runtime;
    if (m.type === 'counted') result = { row: m.row, loopMsPerCall: m.loopMsPerCall };
    if (m.type === 'unavailable')
      result = { error: `${m.reason}; fix: ${m.fix}`, unavailable: { reason: m.reason, fix: m.fix } };
  };
  try {
    const message = { kind: 'count' as const, backend, cell, seeds, warmup, iterations, probe: !counted, counter };
    // Without address-space randomisation, every process lays out its heap alike (cache sets, hash order).
    const launcher = counted
      ? {
          program: 'setarch',
          args: [os.arch() === 'arm64' ? 'aarch64' : 'x86_64', '-R', 'valgrind', ...callgrindArgs(outFile)],
        }
      : undefined;
    const worker = await startWorker(message, onMessage, {}, COUNT_LIMIT_MS, counted ? V8_DETERMINISTIC : [], launcher);
    const exit = await worker.exit;
    if (result.error || !result.row)
      return {
        ...result,
        error:
          result.error ??
          `the counted process ended without a row (` +
            `${exit.timedOut ? 'stopped at its limit' : `exit ${exit.code ?? exit.signal}`}` +
            `: ${lastErrorLine(exit.stderr)})`,
      };
    if (!counted) return { ...result, runtime };
    // A call that failed in the counted process (the probe's passed) says why, rather than that nothing was dumped.
    if (result.row.status !== 'ok') return { ...result, runtime, error: result.row.error ?? 'the counted call failed' };
    return { ...result, runtime, region: readCounts(`${outFile}.1-01`) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What the probe learnt of the backend: its runtime, or why it is unavailable here. */
export interface ProbedBackend {
  readonly runtime?: BackendRuntime;
  readonly unavailable?: { readonly reason: string; readonly fix: string };
}

export type CountedCell = ProbedBackend &
  (
    | { readonly row: Row; readonly counts: PerIteration; readonly plan: CountPlan }
    | { readonly error: string; readonly row?: Row }
  );

/** Counts one cell of ours on a CPU-executed backend: the probe's judged row, with the counts per call. */
export async function countCell(
  backend: string,
  cell: Cell,
  seeds: Seeds,
  counter: string,
  span?: number,
): Promise<CountedCell> {
  const pool = countPool();
  const probe = await pool.run(() => runCounted(backend, cell, seeds, WARMUP_CALLS, 3), Number.POSITIVE_INFINITY);
  const probed = { runtime: probe.runtime, unavailable: probe.unavailable };
  if (probe.error || probe.loopMsPerCall === undefined)
    return { ...probed, error: probe.error ?? 'the probe did not time its loop', row: probe.row };
  if (probe.row?.status !== 'ok') return { ...probed, error: probe.row?.error ?? 'the probe failed', row: probe.row };
  const plan = countPlan(probe.loopMsPerCall, span);
  const cost = countedCost(plan, probe.loopMsPerCall);
  // Side by side, one per core: a count does not depend on what else the machine runs.
  const processes = await Promise.all(
    Array.from({ length: REGION_PROCESSES }, () =>
      pool.run(() => runCounted(backend, cell, seeds, plan.warmup, plan.lo, counter), cost),
    ),
  );
  const failed = processes.find((p) => p.error || !p.region);
  if (failed) return { ...probed, error: failed.error ?? 'no counts', row: failed.row };
  const counts = fromRegions(
    processes.map((p) => p.region!),
    plan.lo,
  );
  return { ...probed, row: probe.row, counts, plan };
}
