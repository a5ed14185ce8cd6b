// Paired timing of one cell across builds: one process per build opens and warms up the cell, the
// processes are pinned to one CPU, and the parent hands out short bursts in turn (every order of the
// builds equally often), so burst i of every build is timed within the same fraction of a second of
// the same CPU. compare pairs the bursts' medians (gate.ts); the machine's drift, which moves whole
// processes by 40% here, cancels from each pair.
import type { RunWriter } from '../results/run-writer.js';
import type { Row } from '../types.js';
import { CellListener, hardLimitMs, type BackendState, type Build } from './cell-process.js';
import { pinToCpu } from './pin-cpu.js';
import type { Progress } from './progress.js';
import { startWorker, type StartedWorker, type WorkerExit } from './spawn-worker.js';
import { cellTiming, MIN_SAMPLES, type Cell, type Timing } from './suite.js';
import type { Seeds } from '../seeds.js';

/**
 * V8 without its background threads: with them, when a process's optimizing compiler and GC finish
 * their work is a matter of scheduling, and two processes of the same code settle in different JIT
 * states for their whole life (measured, one CPU, bursts paired: the same predict 0.85x to 1.21x its
 * twin on the cpu backend; with --single-threaded 0.998x to 1.015x, and every process at the fast
 * state). A forced collection before each burst (--expose-gc) would align the processes' GC states
 * too, but with synchronous compilation it left some processes at 20 ms per 0.1 ms call: not used.
 */
export const PAIRED_NODE_OPTIONS = ['--single-threaded'] as const;

/** A burst this long holds tens of calls of a fast cell; the machine's speed holds for seconds. */
export const BURST_MS = 100;
/** A burst holds at least this many calls where the cell's time allows: a slow cell's calls can cycle
 *  (the RBF fit's go 50, 90, 130 ms, over and over), and a burst of one or two calls catches one phase. */
export const MIN_CALLS_PER_BURST = 5;
/**
 * Bursts per round: 12 pairs let one round reach p = 2^-12 in the signed-rank test (the quick suite's 14 rows at alpha
 * 0.01 need 7e-4).
 */
export const MIN_BURSTS = 12;

export interface PairedSide {
  readonly build: Build;
  readonly state: BackendState;
  readonly writer: RunWriter;
}

/** How many bursts, and how long each, a cell's timing asks for, given one warm call's time. */
export function burstPlan(timing: Timing, warmMs: number): { count: number; ms: number } {
  let count = Math.max(MIN_BURSTS, Math.round(timing.timeMs / BURST_MS));
  let ms = Math.max(timing.timeMs / count, MIN_CALLS_PER_BURST * warmMs);
  const budget = (timing.maxCellSeconds ?? Infinity) * 1000;
  // Within maxCellSeconds: fewer bursts (down to MIN_BURSTS), then fewer calls per burst (down to one), then fewer
  // bursts still.
  if (count * ms > budget) count = Math.max(MIN_BURSTS, Math.floor(budget / ms));
  if (count * ms > budget) ms = Math.max(warmMs, budget / count);
  if (count * ms > budget) count = Math.max(MIN_SAMPLES, Math.floor(budget / ms));
  return { count, ms };
}

/**
 * Every order of `n` builds (n <= 4), cycled burst by burst, so no build goes first more often than another; beyond 4,
 * rotations.
 */
export function burstOrders(n: number): number[][] {
  const ids = Array.from({ length: n }, (_, i) => i);
  if (n > 4) return ids.map((s) => [...ids.slice(s), ...ids.slice(0, s)]);
  const perms = (xs: number[]): number[][] =>
    xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
  return perms(ids);
}

class Session {
  readonly listener: CellListener;
  worker: StartedWorker | undefined;
  exit: Promise<WorkerExit | undefined> = Promise.resolve(undefined);
  warmMs = 0;
  alive = false;
  private ready: ((ok: boolean) => void) | undefined;
  private burst: ((ok: boolean) => void) | undefined;

  constructor(side: PairedSide, progress: Progress) {
    this.listener = new CellListener(side.build, side.state, side.writer, progress);
  }

  /** Starts the process; resolves true when its cell is open and warm, false when it ended first (its row says why). */
  async open(cell: Cell, seeds: Seeds, timing: Timing, limitMs: number): Promise<boolean> {
    const { state, build } = this.listener;
    if (state.unavailable) return false;
    const readyNow = new Promise<boolean>((resolve) => (this.ready = resolve));
    this.worker = await startWorker(
      { kind: 'paired', backend: state.backend, cell, seeds, timing, ceiling: state.ceiling ?? undefined },
      (m) => {
        if (m.type === 'ready') {
          this.warmMs = m.warmMs;
          this.alive = true;
          this.settle('ready', true);
        } else if (m.type === 'burst') {
          this.settle('burst', true);
        } else this.listener.onMessage(m);
      },
      build,
      limitMs,
      PAIRED_NODE_OPTIONS,
    );
    this.exit = this.worker.exit.then((e) => {
      this.alive = false;
      this.settle('ready', false);
      this.settle('burst', false);
      return e;
    });
    return readyNow;
  }

  private settle(which: 'ready' | 'burst', ok: boolean): void {
    const resolve = this[which];
    this[which] = undefined;
    resolve?.(ok);
  }

  /** One timed burst; false when the process ended instead. */
  timeBurst(ms: number): Promise<boolean> {
    if (!this.alive || !this.worker) return Promise.resolve(false);
    const done = new Promise<boolean>((resolve) => (this.burst = resolve));
    this.worker.send({ kind: 'burst', ms });
    return done;
  }

  finish(): void {
    if (this.alive) this.worker?.send({ kind: 'finish' });
  }
}

/**
 * The cell's row for each side, in the sides' order. `cpu`: where the warm processes are pinned
 * (undefined: left to the scheduler). A side whose process fails drops out; the others go on.
 */
export async function runCellPaired(
  sides: readonly PairedSide[],
  cell: Cell,
  seeds: Seeds,
  suiteTiming: Timing,
  cpu: number | undefined,
  progress: Progress,
): Promise<Row[]> {
  const timing = cellTiming(suiteTiming, cell);
  // Each process waits while the others take their bursts.
  const limitMs = hardLimitMs(timing) * sides.length;
  const sessions = sides.map((side) => new Session(side, progress));
  // Start-ups are not timed: they run side by side.
  await Promise.all(sessions.map((s) => s.open(cell, seeds, timing, limitMs)));
  const live = sessions.filter((s) => s.alive);
  if (cpu !== undefined) {
    for (const s of live) {
      const failed = s.worker?.pid === undefined ? 'no pid' : pinToCpu(s.worker.pid, cpu);
      if (failed)
        progress.note(
          `could not pin ${s.listener.build.name}'s process to CPU ${cpu}: ` +
            `${failed}; its bursts are timed wherever the scheduler puts them`,
        );
    }
  }
  const { count, ms } = burstPlan(timing, Math.max(0, ...live.map((s) => s.warmMs)));
  const orders = burstOrders(live.length);
  for (let i = 0; i < count && live.some((s) => s.alive); i++) {
    for (const k of orders[i % orders.length]) await live[k].timeBurst(ms);
  }
  for (const s of live) s.finish();
  const exits = await Promise.all(sessions.map((s) => s.exit));
  return sessions.map((s, i) => s.listener.rowAfter(exits[i], cell, seeds, limitMs));
}
