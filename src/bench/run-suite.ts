// Runs a suite: cell by cell, one fresh child process per (backend, cell) for ours and one fresh
// implementation process per (implementation, cell) for each implementation under test, so the
// implementations of a cell are measured side by side; rows streamed to a RunWriter as they finish.
// An unavailable backend, a crashed child or a broken implementation becomes a row saying so; the
// run goes on. Interleaved mode alternates a baseline build and this one cell by cell, so both see the
// same machine conditions (noise across CI jobs is far larger than within one).
import path from 'node:path';
import { implRow, runImplCells, type ImplUnderTest } from '../impl/run-impl-cell.js';
import type { RunContext } from '../report/context.js';
import { RunWriter } from '../report/run-writer.js';
import type { Seeds } from '../seeds.js';
import type { BackendRuntime, Row } from '../types.js';
import type { Progress } from './progress.js';
import type { Ceiling } from './ceiling.js';
import { baseRow } from './run-cell.js';
import { lastErrorLine, runWorker } from './spawn-worker.js';
import { cellTiming, sizeLabel, type Cell, type Timing } from './suite.js';

/** An implementation under test as planned: the cells it is timed on, or why it gets no timing. */
export interface PlannedImplementation {
  readonly impl: ImplUnderTest;
  readonly cells: readonly Cell[];
  /** It cannot run here (unavailable) or could not be started: each of its cells is a row saying so. */
  readonly blocked?: { readonly status: 'unavailable' | 'errored'; readonly error: string };
}

export interface SuitePlan {
  /** Our cells, run on every backend. */
  readonly cells: readonly Cell[];
  readonly impls: readonly PlannedImplementation[];
  readonly backends: readonly string[];
  readonly timing: Timing;
  readonly seeds: Seeds;
}

/** A build of the harness: this checkout, or a baseline checkout for interleaved comparisons. */
export interface Build {
  readonly name: string;
  /** Checkout root whose src/bench/worker.ts runs the cells; undefined for this one. */
  readonly root?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Starting a backend (webgpu's adapter, wasm's compilation) and building a cell's data, beyond its timed work. */
const CELL_STARTUP_ALLOWANCE_S = 120;

/**
 * A cell's hard limit: maxCellSeconds caps its timed samples, but setup, the first run and the checks
 * come on top; a cell still running at twice that plus a start-up allowance is stuck, and is stopped.
 * Suites without maxCellSeconds have no hard limit.
 */
export function hardLimitMs(timing: Timing): number {
  return timing.maxCellSeconds === undefined ? Number.POSITIVE_INFINITY : (2 * timing.maxCellSeconds + CELL_STARTUP_ALLOWANCE_S) * 1000;
}

type RuntimeInfo = Pick<BackendRuntime, 'name' | 'version' | 'device' | 'deviceKind'>;

/** What is known about one backend of one build, carried across cells and rounds. */
class BackendState {
  unavailable: { reason: string; fix: string } | undefined;
  /** Its matMul ceiling: undefined until measured, null when the measurement failed. */
  ceiling: Ceiling | null | undefined;
  runtime: RuntimeInfo;
  private readonly registeredIn = new WeakSet<RunWriter>();

  constructor(readonly backend: string) {
    this.runtime = { name: backend, version: '', device: '', deviceKind: 'cpu' };
  }

  register(writer: RunWriter, runtime?: BackendRuntime): void {
    if (this.registeredIn.has(writer)) return;
    this.registeredIn.add(writer);
    writer.context.backends.push(this.unavailable ? { name: this.backend, available: false, ...this.unavailable } : { name: this.backend, available: true, runtime });
  }
}

/**
 * One fresh process per cell: the wasm heap and JIT state left by earlier cells shifted later cells'
 * medians by 5-10% from run to run (time-budgeted iteration counts make that history random), which
 * the compare gate would read as regressions. A clean process per cell costs a backend start-up.
 */
async function runCellInProcess(build: Build, state: BackendState, cell: Cell, plan: SuitePlan, writer: RunWriter, progress: Progress): Promise<Row> {
  let row: Row | undefined;
  let started = false;
  const timing = cellTiming(plan.timing, cell);
  const exit = state.unavailable
    ? undefined
    : await runWorker(
        { kind: 'run', backend: state.backend, cells: [cell], seeds: plan.seeds, timing, ceiling: state.ceiling ?? undefined },
        (m) => {
          if (m.type === 'runtime') {
            state.runtime = m.runtime;
            state.register(writer, m.runtime);
          } else if (m.type === 'unavailable') {
            state.unavailable = { reason: m.reason, fix: m.fix };
            progress.note(`backend ${state.backend} unavailable${build.root ? ` (${build.name})` : ''}: ${m.reason}`);
          } else if (m.type === 'cell-start') {
            started = true;
          } else if (m.type === 'row') {
            row = m.row;
          } else if (m.type === 'ceiling') {
            state.ceiling = m.ceiling;
          }
        },
        build,
        hardLimitMs(timing),
      );
  if (state.unavailable) state.register(writer);
  if (row) return row;
  // Every cell gets a row, whatever happened to its process.
  const failed = baseRow(cell, state.runtime, plan.seeds);
  if (state.unavailable) return { ...failed, status: 'unavailable', error: `${state.unavailable.reason}; fix: ${state.unavailable.fix}` };
  if (exit?.timedOut) return { ...failed, status: 'errored', error: `timed out: the cell ran past its hard limit of ${Math.round(hardLimitMs(timing) / 1000)} s (twice the suite's maxCellSeconds, plus ${CELL_STARTUP_ALLOWANCE_S} s to start a backend) and was stopped` };
  const how = exit?.signal ? `killed by ${exit.signal}` : `exited with code ${exit?.code}`;
  const when = started ? 'during this cell' : 'before the cell started';
  return { ...failed, status: 'errored', error: `backend process ${how} ${when}: ${lastErrorLine(exit?.stderr ?? '') || 'no message'}` };
}

function label(build: Build, row: Row): string {
  return `${build.root ? `${build.name} ` : ''}${row.backend} ${row.model}/${row.workload} ${row.size}: ${row.status}`;
}

export const cellKey = (cell: Cell): string => `${cell.model}/${cell.workload}/${sizeLabel(cell.size)}`;

/** Every cell of the plan once, ours first in suite order, then cells only an implementation has. */
function allCells(plan: SuitePlan): Cell[] {
  const seen = new Map<string, Cell>();
  for (const c of [...plan.cells, ...plan.impls.flatMap((p) => p.cells)]) if (!seen.has(cellKey(c))) seen.set(cellKey(c), c);
  return [...seen.values()];
}

export async function runPlan(plan: SuitePlan, outDir: string, context: RunContext, progress: Progress, log: (line: string) => void = () => {}): Promise<RunWriter> {
  const writer = new RunWriter(outDir, context);
  const build: Build = { name: 'this build' };
  const ours = new Set(plan.cells.map(cellKey));
  const states = new Map(plan.backends.map((b) => [b, new BackendState(b)]));
  const cells = allCells(plan);
  progress.start(plan.cells.length * plan.backends.length + plan.impls.reduce((n, p) => n + p.cells.length, 0));
  for (const [index, cell] of cells.entries()) {
    if (ours.has(cellKey(cell))) {
      for (const backend of plan.backends) {
        const row = await runCellInProcess(build, states.get(backend)!, cell, plan, writer, progress);
        writer.add(row);
        progress.step(label(build, row));
      }
    }
    // Implementations take turns going first, cell by cell; within the cell they alternate request by request.
    const here = plan.impls.filter((p) => p.cells.some((c) => cellKey(c) === cellKey(cell)));
    const shift = here.length > 0 ? index % here.length : 0;
    const order = [...here.slice(shift), ...here.slice(0, shift)];
    const blocked = order.filter((p) => p.blocked).map((p) => ({ ...implRow(p.impl, cell, plan.seeds), ...p.blocked! }));
    const live = order.filter((p) => !p.blocked);
    const timed = live.length > 0 ? await runImplCells(live.map((p) => p.impl), cell, plan.seeds, cellTiming(plan.timing, cell), log) : [];
    for (const row of [...timed, ...blocked]) {
      writer.add(row);
      progress.step(`${row.implementation} ${row.model}/${row.workload} ${row.size}: ${row.status}`);
    }
  }
  writer.finish();
  progress.finish();
  return writer;
}

/**
 * Rounds of the builds (baseline and candidate, or more), alternating cell by cell. Each (build, round) is a run folder under
 * outDir/<build name>/, which `modelbench compare outDir/baseline outDir/candidate` pools.
 */
export async function runInterleaved(
  plan: SuitePlan,
  builds: readonly Build[],
  repeat: number,
  outDir: string,
  contextFor: (build: Build, round: number) => RunContext,
  progress: Progress,
): Promise<Map<string, RunWriter[]>> {
  const writers = new Map<string, RunWriter[]>(builds.map((b) => [b.name, []]));
  const states = new Map(builds.map((b) => [b.name, new Map(plan.backends.map((be) => [be, new BackendState(be)]))]));
  progress.start(repeat * builds.length * plan.backends.length * plan.cells.length);
  for (let round = 1; round <= repeat; round++) {
    const roundWriters = new Map(builds.map((b) => [b.name, new RunWriter(path.join(outDir, b.name), contextFor(b, round))]));
    for (const [name, w] of roundWriters) writers.get(name)!.push(w);
    // Rotate who goes first each round, so a drift in machine speed hits every build alike.
    const shift = (round - 1) % builds.length;
    const order = [...builds.slice(shift), ...builds.slice(0, shift)];
    for (const backend of plan.backends) {
      for (const cell of plan.cells) {
        for (const build of order) {
          const writer = roundWriters.get(build.name)!;
          const row = await runCellInProcess(build, states.get(build.name)!.get(backend)!, cell, plan, writer, progress);
          writer.add(row);
          progress.step(`round ${round}: ${label(build, row)}`);
        }
      }
    }
    for (const w of roundWriters.values()) w.finish();
  }
  progress.finish();
  return writers;
}
