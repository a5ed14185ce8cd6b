// Times one cell with tinybench and checks it against the oracle. Whatever goes wrong becomes a
// row with status 'errored' and the message: a failing cell never stops the run.
import { Bench } from 'tinybench';
import { modelByName } from '../models/registry.js';
import { slowdownFor } from './inject-slowdown.js';
import type { Seeds } from '../seeds.js';
import { timedColumns } from './timed-columns.js';
import type { BackendRuntime, ObjectiveCheck, PreparedWorkload, Row, Tf, WorkloadSpec } from '../types.js';
import type { Ceiling } from './ceiling.js';
import { countDispatch } from './dispatch-count.js';
import { MIN_SAMPLES, sizeLabel, type Cell, type Timing } from './suite.js';

export function baseRow(
  cell: Cell,
  backend: Pick<BackendRuntime, 'name' | 'version' | 'device' | 'deviceKind'>,
  seeds: Seeds,
): Row {
  return {
    model: cell.model,
    workload: cell.workload,
    size: sizeLabel(cell.size),
    backend: backend.name,
    backendVersion: backend.version,
    device: backend.device,
    deviceKind: backend.deviceKind,
    status: 'ok',
    samples: 0,
    seedData: seeds.data,
    seedInit: seeds.init,
    seedSampling: seeds.sampling,
  };
}

/** The oracle's verdict on a row: its objective columns, and `check-failed` with the note when it did not pass. */
export function applyCheck(row: Row, check: ObjectiveCheck): void {
  Object.assign(row, {
    objectiveName: check.objectiveName,
    ...(check.atOptimum ? { objectiveAtOptimum: true } : {}),
    objective: check.modelValue,
    oracleObjective: check.oracleValue,
    relError:
      check.relError ??
      Math.abs(check.modelValue - check.oracleValue) / Math.max(Math.abs(check.oracleValue), Number.MIN_VALUE),
    tolerance: check.tolerance,
    check: check.passed ? 'pass' : 'fail',
    iterations: check.iterations,
    converged: check.converged,
  });
  if (!check.passed) {
    row.status = 'check-failed';
    row.error = check.note ?? `${check.objectiveName} off the oracle by more than ${check.tolerance}`;
  }
}

/** GFLOP/s of the dense products at the median time, and the share of the backend's matMul ceiling.
 *  Without a ceiling yet, the workload's note is kept for withCeiling to judge. */
export function efficiency(
  flops: number,
  medianMs: number,
  ceiling: Ceiling | undefined,
  heldBackBy: string | undefined,
): Pick<Row, 'gflops' | 'ceilingGflops' | 'ceilingFraction' | 'efficiencyNote'> {
  const gflops = flops / (medianMs / 1000) / 1e9;
  const row = { gflops, ...(heldBackBy ? { efficiencyNote: heldBackBy } : {}) };
  return ceiling ? withCeiling(row, ceiling) : row;
}

/** A row completed with the ceiling measured after it: its share, and its note only below half. */
export function withCeiling<R extends Pick<Row, 'gflops' | 'ceilingGflops' | 'ceilingFraction' | 'efficiencyNote'>>(
  row: R,
  ceiling: Ceiling | undefined,
): R {
  if (row.gflops === undefined) return row;
  const { efficiencyNote, ...rest } = row;
  if (!ceiling) return rest as R;
  const fraction = row.gflops / ceiling.gflops;
  return {
    ...rest,
    ceilingGflops: ceiling.gflops,
    ceilingFraction: fraction,
    ...(fraction < 0.5 && efficiencyNote ? { efficiencyNote } : {}),
  } as R;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function findWorkload(cell: Cell): WorkloadSpec | undefined {
  return modelByName(cell.model)?.workloads.find((w) => w.name === cell.workload);
}

/** A cell prepared and run once: what its timing and its completion need. */
export interface OpenCell {
  readonly row: Row;
  readonly prepared: PreparedWorkload;
  /** The timed call, with the calibration slowdown if one is injected as a busy-wait. */
  readonly run: () => Promise<void>;
  /** What its timed samples are multiplied by: 1 unless a calibration slowdown is injected as `scale:`. */
  readonly sampleScale: number;
  readonly tensorsBefore: number;
}

/** Prepares a cell and runs it once (the first run, kept apart from the samples); a row saying why when it cannot. */
export async function openCell(
  tf: Tf,
  backend: BackendRuntime,
  cell: Cell,
  workload: WorkloadSpec | undefined,
  seeds: Seeds,
): Promise<OpenCell | Row> {
  const row = baseRow(cell, backend, seeds);
  if (!workload) return { ...row, status: 'errored', error: `no workload ${cell.model}/${cell.workload}` };
  const tensorsBefore = tf.memory().numTensors;
  let prepared;
  try {
    prepared = await workload.prepare(tf, cell.size, seeds, backend);
  } catch (e) {
    return { ...row, status: 'errored', error: `prepare: ${errorMessage(e)}` };
  }
  const { run, sampleScale } = slowdownFor(`${row.model}/${row.workload}/${row.size}/${row.backend}`, () =>
    prepared.run(),
  );
  try {
    // The first run pays for shader compilation, weight packing and JIT: kept apart from the samples.
    const t0 = performance.now();
    await run();
    row.firstRunMs = performance.now() - t0;
  } catch (e) {
    return closeCell(tf, { row, prepared, run, sampleScale, tensorsBefore }, e);
  }
  return { row, prepared, run, sampleScale, tensorsBefore };
}

/** Timed samples of one call with tinybench: `time` ms and at least `iterations` calls, after `warmup` untimed ones. */
export async function timeSamples(
  label: string,
  run: () => Promise<void>,
  time: number,
  iterations: number,
  warmup: number,
): Promise<number[]> {
  const bench = new Bench({
    time,
    iterations,
    warmupIterations: warmup,
    warmupTime: 0,
    retainSamples: true,
    throws: true,
  });
  bench.add(label, run);
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`tinybench ended in state '${result.state}'`);
  return Array.from(result.latency.samples ?? []);
}

/** An open cell's timed samples (timeSamples), slowed by the calibration's factor where one is injected as `scale:`. */
export async function timeOpenCell(
  open: OpenCell,
  time: number,
  iterations: number,
  warmup: number,
): Promise<number[]> {
  const samples = await timeSamples(`${open.row.model}/${open.row.workload}`, open.run, time, iterations, warmup);
  return open.sampleScale === 1 ? samples : samples.map((ms) => ms * open.sampleScale);
}

/**
 * The row of an open cell from its samples: statistics, efficiency, dispatch counts and the oracle's check; the cell is
 * closed.
 */
export async function completeCell(
  tf: Tf,
  open: OpenCell,
  samples: readonly number[],
  ceiling?: Ceiling,
): Promise<Row> {
  const { row, prepared } = open;
  try {
    if (samples.length === 0) throw new Error('no timed samples');
    Object.assign(row, timedColumns(samples, prepared.workPerRun, prepared.workUnit));
    if (prepared.flopsPerRun !== undefined) {
      Object.assign(row, efficiency(prepared.flopsPerRun, row.medianMs!, ceiling, prepared.heldBackBy));
      // Two more, untimed runs: one under tfjs's profiler, one with the host reads counted.
      const dispatch = await countDispatch(tf, () => prepared.run());
      Object.assign(row, { kernelsPerRun: dispatch.kernels, hostSyncsPerRun: dispatch.hostSyncs });
    }
    applyCheck(row, await prepared.check());
  } catch (e) {
    return closeCell(tf, open, e);
  }
  return closeCell(tf, open);
}

/** Disposes the cell's tensors and counts what leaked; an error, if given, becomes the row's. */
export function closeCell(tf: Tf, open: OpenCell, error?: unknown): Row {
  const { row, prepared, tensorsBefore } = open;
  if (error !== undefined) {
    row.status = 'errored';
    row.error = errorMessage(error);
  }
  prepared.dispose();
  row.tensorsLeaked = tf.memory().numTensors - tensorsBefore;
  if (row.tensorsLeaked !== 0 && row.status === 'ok') {
    row.status = 'check-failed';
    row.error = `${row.tensorsLeaked} tensors leaked`;
  }
  return row;
}

export const isOpen = (x: OpenCell | Row): x is OpenCell => 'prepared' in x;

export async function runCell(
  tf: Tf,
  backend: BackendRuntime,
  cell: Cell,
  workload: WorkloadSpec | undefined,
  seeds: Seeds,
  timing: Timing,
  ceiling?: Ceiling,
): Promise<Row> {
  const open = await openCell(tf, backend, cell, workload, seeds);
  if (!isOpen(open)) return open;
  let samples: number[];
  try {
    const firstMs = open.row.firstRunMs!;
    const capped =
      timing.maxCellSeconds === undefined
        ? Infinity
        : Math.floor((timing.maxCellSeconds * 1000) / Math.max(firstMs, 1e-3));
    const iterations = Math.max(MIN_SAMPLES, Math.min(timing.minIterations, capped));
    const short = capped < timing.minIterations;
    samples = await timeOpenCell(
      open,
      short ? 0 : timing.timeMs,
      iterations,
      short ? Math.min(1, timing.warmupIterations) : timing.warmupIterations,
    );
  } catch (e) {
    return closeCell(tf, open, e);
  }
  return completeCell(tf, open, samples, ceiling);
}
