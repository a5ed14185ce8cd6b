// One cell in a fresh backend process of a build, and what is known about each backend of a build
// across cells and rounds. Whatever happens to the process, the cell gets a row.
import type { RunWriter } from '../results/run-writer.js';
import type { BackendRuntime, Row } from '../types.js';
import type { Ceiling } from './ceiling.js';
import type { Progress } from './progress.js';
import type { ChildMessage } from './messages.js';
import { baseRow } from './run-cell.js';
import { lastErrorLine, runWorker, type WorkerExit } from './spawn-worker.js';
import { cellTiming, type Cell, type Timing } from './suite.js';
import type { Seeds } from '../seeds.js';

/** A build of the harness: this checkout, or a baseline checkout for interleaved comparisons. */
export interface Build {
  readonly name: string;
  /** Checkout root whose src/timing/worker.ts runs the cells; undefined for this one. */
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
  return timing.maxCellSeconds === undefined
    ? Number.POSITIVE_INFINITY
    : (2 * timing.maxCellSeconds + CELL_STARTUP_ALLOWANCE_S) * 1000;
}

type RuntimeInfo = Pick<BackendRuntime, 'name' | 'version' | 'device' | 'deviceKind'>;

/** What is known about one backend of one build, carried across cells and rounds. */
export class BackendState {
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
    writer.context.backends.push(
      this.unavailable
        ? { name: this.backend, available: false, ...this.unavailable }
        : { name: this.backend, available: true, runtime },
    );
  }
}

/** Listens to one cell's process: the backend's runtime and ceiling go to its state, the row is kept. */
export class CellListener {
  row: Row | undefined;
  started = false;

  constructor(
    readonly build: Build,
    readonly state: BackendState,
    private readonly writer: RunWriter,
    private readonly progress: Progress,
  ) {}

  readonly onMessage = (m: ChildMessage): void => {
    if (m.type === 'runtime') {
      this.state.runtime = m.runtime;
      this.state.register(this.writer, m.runtime);
    } else if (m.type === 'unavailable') {
      this.state.unavailable = { reason: m.reason, fix: m.fix };
      this.progress.note(
        `backend ${this.state.backend} unavailable${this.build.root ? ` (${this.build.name})` : ''}: ${m.reason}`,
      );
    } else if (m.type === 'cell-start') {
      this.started = true;
    } else if (m.type === 'row') {
      this.row = m.row;
    } else if (m.type === 'ceiling') {
      this.state.ceiling = m.ceiling;
    }
  };

  /** The cell's row: the process's own, or one saying what happened to the process. */
  rowAfter(exit: WorkerExit | undefined, cell: Cell, seeds: Seeds, limitMs: number): Row {
    if (this.state.unavailable) this.state.register(this.writer);
    if (this.row) return this.row;
    const failed = baseRow(cell, this.state.runtime, seeds);
    if (this.state.unavailable)
      return {
        ...failed,
        status: 'unavailable',
        error: `${this.state.unavailable.reason}; fix: ${this.state.unavailable.fix}`,
      };
    if (exit?.timedOut)
      return {
        ...failed,
        status: 'errored',
        error:
          `timed out: the cell ran past its hard limit of ` +
          `${Math.round(limitMs / 1000)} s (twice the suite's maxCellSeconds, ` +
          `plus ${CELL_STARTUP_ALLOWANCE_S} s to start a backend) and was stopped`,
      };
    const how = exit?.signal ? `killed by ${exit.signal}` : `exited with code ${exit?.code}`;
    const when = this.started ? 'during this cell' : 'before the cell started';
    return {
      ...failed,
      status: 'errored',
      error: `backend process ${how} ${when}: ${lastErrorLine(exit?.stderr ?? '') || 'no message'}`,
    };
  }
}

/**
 * One fresh process per cell: the wasm heap and JIT state left by earlier cells shifted later cells'
 * medians by 5-10% from run to run (time-budgeted iteration counts make that history random), which
 * the compare gate would read as regressions. A clean process per cell costs a backend start-up.
 */
export async function runCellInProcess(
  build: Build,
  state: BackendState,
  cell: Cell,
  seeds: Seeds,
  suiteTiming: Timing,
  writer: RunWriter,
  progress: Progress,
): Promise<Row> {
  const timing = cellTiming(suiteTiming, cell);
  const listener = new CellListener(build, state, writer, progress);
  const exit = state.unavailable
    ? undefined
    : await runWorker(
        { kind: 'run', backend: state.backend, cells: [cell], seeds, timing, ceiling: state.ceiling ?? undefined },
        listener.onMessage,
        build,
        hardLimitMs(timing),
      );
  return listener.rowAfter(exit, cell, seeds, hardLimitMs(timing));
}
