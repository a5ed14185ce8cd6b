// How many counted processes (native probes and cachegrind runs) may run at once. A count does not
// depend on time, so processes on different cores do not disturb each other's counts the way they
// would disturb timings: with the two full collections before the loop, two cells counted side by side
// on two cores agreed within 0.006% (docs/counted-measurement.md). Under valgrind each process runs
// 40-250x slower than native on one core, so keeping every core busy is most of a counted run's wall time.
import os from 'node:os';

/** Limits the processes of counted runs: `MODELBENCH_COUNT_JOBS=1` counts one process at a time. */
export const COUNT_JOBS_ENV = 'MODELBENCH_COUNT_JOBS';

/** Runs tasks with at most `size` in flight, started in the order they were asked for (first come, first run). */
export class Pool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a pool needs at least one slot, not ${size}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resume) => this.waiting.push(resume));
    else this.running++;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so a task asked for later never overtakes it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
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
