// One cell counted: a native probe judges the cell with the oracle and sizes the loop (how many calls
// make the counted span long enough to dwarf the few thousand instructions by which two processes may
// differ), then one process runs the call `lo` times and two run it `hi` times, each whole under
// cachegrind, as many at once as the count pool allows (one per core: pool.ts). The row gets per-call
// instructions, cache misses and estimated cycles, and their spread over the three processes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Seeds } from '../../seeds.js';
import type { BackendRuntime, Row } from '../../types.js';
import type { ChildMessage } from '../messages.js';
import { lastErrorLine, startWorker } from '../spawn-worker.js';
import type { Cell } from '../suite.js';
import { perIteration, type PerIteration } from './per-iteration.js';
import { countPool } from './pool.js';
import { cachegrindArgs, readCounts, V8_DETERMINISTIC, type Counts } from './valgrind.js';

/**
 * Processes at the higher count per cell (with the one at the lower, three counted): the spread of their estimates is
 * the measure's noise.
 */
export const COUNTED_PROCESSES = 2;
const WARMUP_CALLS = 2;
/**
 * The counted span's native length to aim for: about 2-12 s under valgrind. 50 ms and not 150: the
 * processes differ by a few thousand instructions, which even 50 ms of calls (tens of millions of
 * instructions) dwarfs, and each process's loop and warm-up take a third as long.
 */
export const TARGET_NATIVE_MS = 50;
const MIN_SPAN = 4;
const MAX_SPAN = 1024;
/** A counted process still running after this is stuck (valgrind runs 40-250x slower than native). */
const COUNT_LIMIT_MS = 30 * 60 * 1000;

export interface CountPlan {
  /** Untimed calls before the counted loop in every process: V8 optimises hot code by call counts, once. */
  readonly warmup: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * How many calls the counted span needs, from the call's native time: a power of two, so that the
 * probe's timing noise seldom changes it (the count per call depends on the span: longer loops have
 * more of V8's major collections in them; the counted gate compares rows of equal spans only). The
 * warm-up is as long as the span, so that the compilations V8 does after so many calls fall before
 * the loop in every process, and the two loops differ only in steady-state calls.
 */
export function countPlan(nativeMsPerCall: number, span?: number, targetMs = TARGET_NATIVE_MS): CountPlan {
  const wanted = targetMs / Math.max(nativeMsPerCall, 1e-3);
  const calls = span ?? Math.min(MAX_SPAN, Math.max(MIN_SPAN, 2 ** Math.round(Math.log2(wanted))));
  return { warmup: Math.max(WARMUP_CALLS, calls), lo: calls, hi: 2 * calls };
}

interface CountedProcess {
  readonly runtime?: BackendRuntime;
  readonly unavailable?: { readonly reason: string; readonly fix: string };
  readonly row?: Row;
  readonly loopMsPerCall?: number;
  readonly counts?: Counts;
  readonly error?: string;
}

async function runCounted(
  backend: string,
  cell: Cell,
  seeds: Seeds,
  warmup: number,
  iterations: number,
  counted: boolean,
): Promise<CountedProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-count-'));
  const outFile = path.join(dir, 'cachegrind.out');
  let result: Omit<CountedProcess, 'counts'> = {};
  let runtime: BackendRuntime | undefined;
  const onMessage = (m: ChildMessage) => {
    if (m.type === 'runtime') runtime = m.runtime;
    if (m.type === 'counted') result = { row: m.row, loopMsPerCall: m.loopMsPerCall };
    if (m.type === 'unavailable')
      result = { error: `${m.reason}; fix: ${m.fix}`, unavailable: { reason: m.reason, fix: m.fix } };
  };
  try {
    const message = { kind: 'count' as const, backend, cell, seeds, warmup, iterations, probe: !counted };
    // Without address-space randomisation, every process lays out its heap alike (cache sets, hash order).
    const launcher = counted
      ? {
          program: 'setarch',
          args: [os.arch() === 'arm64' ? 'aarch64' : 'x86_64', '-R', 'valgrind', ...cachegrindArgs(outFile)],
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
    return counted ? { ...result, runtime, counts: readCounts(outFile) } : { ...result, runtime };
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
export async function countCell(backend: string, cell: Cell, seeds: Seeds, span?: number): Promise<CountedCell> {
  const pool = countPool();
  const probe = await pool.run(() => runCounted(backend, cell, seeds, WARMUP_CALLS, 3, false));
  const probed = { runtime: probe.runtime, unavailable: probe.unavailable };
  if (probe.error || probe.loopMsPerCall === undefined)
    return { ...probed, error: probe.error ?? 'the probe did not time its loop', row: probe.row };
  if (probe.row?.status !== 'ok') return { ...probed, error: probe.row?.error ?? 'the probe failed', row: probe.row };
  const plan = countPlan(probe.loopMsPerCall, span);
  const iterations = [plan.lo, ...Array.from({ length: COUNTED_PROCESSES }, () => plan.hi)];
  // Side by side, one per core: since the two full collections before the loop, processes on two cores
  // agree as closely as one after another (docs/counted-measurement.md, Measured here).
  const processes = await Promise.all(
    iterations.map((n) => pool.run(() => runCounted(backend, cell, seeds, plan.warmup, n, true))),
  );
  const failed = processes.find((p) => p.error || !p.counts);
  if (failed) return { ...probed, error: failed.error ?? 'no counts', row: failed.row };
  const counts = perIteration(
    processes[0].counts!,
    processes.slice(1).map((p) => p.counts!),
    plan.lo,
    plan.hi,
  );
  return { ...probed, row: probe.row, counts, plan };
}
