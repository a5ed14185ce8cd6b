// How many counted processes (native probes and cachegrind runs) may run at once. A count does not
// depend on time, so processes on different cores do not disturb each other's counts the way they
// would disturb timings: with the two full collections before the loop, two cells counted side by side
// on two cores agreed within 0.006% (docs/counted-measurement.md). Under valgrind each process runs
// 40-250x slower than native on one core, so keeping every core busy is most of a counted run's wall time.
import os from 'node:os';

/** Limits the processes of counted runs: `MODELBENCH_COUNT_JOBS=1` counts one process at a time. */
export const COUNT_JOBS_ENV = 'MODELBENCH_COUNT_JOBS';

/**
 * Runs tasks with at most `size` in flight. A free slot goes to the waiting task of the highest cost (ties: the one
 * asked for first), so that the longest processes start first and the run does not end with one core idle while the
 * other finishes a long one: longest-first leaves at most the shortest tasks for the end.
 */
export class Pool {
  private running = 0;
  private asked = 0;
  private readonly waiting: { readonly cost: number; readonly order: number; readonly resume: () => void }[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a pool needs at least one slot, not ${size}`);
  }

  /** Runs the task when a slot is free; `cost` is its expected length in any unit (Infinity: before all others). */
  async run<T>(task: () => Promise<T>, cost = 0): Promise<T> {
    const order = this.asked++;
    if (this.running >= this.size) await new Promise<void>((resume) => this.waiting.push({ cost, order, resume }));
    else this.running++;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next task, so that a task asked for later cannot slip in between.
      const next = this.takeNext();
      if (next) next();
      else this.running--;
    }
  }

  private takeNext(): (() => void) | undefined {
    if (this.waiting.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.waiting.length; i++) {
      const w = this.waiting[i];
      const b = this.waiting[best];
      if (w.cost > b.cost || (w.cost === b.cost && w.order < b.order)) best = i;
    }
    return this.waiting.splice(best, 1)[0].resume;
  }
}

/** The pool's size: the environment's limit when it is set, else one slot per core this process may use. */
export function countJobs(env: NodeJS.ProcessEnv = process.env, cores = os.availableParallelism()): number {
  const raw = env[COUNT_JOBS_ENV];
  if (raw === undefined || raw === '') return cores;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${COUNT_JOBS_ENV}=${raw}: it must be a whole number of at least 1`);
  return n;
}

let shared: Pool | undefined;

/** The one pool every counted process of this run goes through, sized on first use. */
export function countPool(): Pool {
  shared ??= new Pool(countJobs());
  return shared;
}
