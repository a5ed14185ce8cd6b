// The count pool: at most its size of counted processes at once, the costliest waiting first (among equals, the first
// asked for), a failed task's slot passed on, the results each to its own caller; its size from MODELBENCH_COUNT_JOBS or
// the cores.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { countJobs, COUNT_JOBS_ENV, Pool } from '../../src/timing/count/pool.js';

/** A task that runs until released, recording when it started and how many ran with it. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { done, release };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('count pool', () => {
  it('runs at most its size at once, in the order asked for, each result to its caller', async () => {
    const pool = new Pool(2);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let inFlight = 0;
    let most = 0;
    const results = gates.map((g, i) =>
      pool.run(async () => {
        started.push(i);
        most = Math.max(most, ++inFlight);
        await g.done;
        inFlight--;
        return i * 10;
      }),
    );
    await turn();
    assert.deepEqual(started, [0, 1]);
    // The second ends first: the next one asked for (2) takes its slot, not a later one.
    gates[1].release();
    await turn();
    assert.deepEqual(started, [0, 1, 2]);
    for (const g of gates) g.release();
    assert.deepEqual(await Promise.all(results), [0, 10, 20, 30, 40]);
    assert.deepEqual(started, [0, 1, 2, 3, 4]);
    assert.equal(most, 2);
  });

  it('gives a free slot to the costliest task waiting, the first asked for among equals, Infinity before all', async () => {
    const pool = new Pool(1);
    const first = gate();
    const started: string[] = [];
    const task = (name: string, g?: ReturnType<typeof gate>) => async () => {
      started.push(name);
      await g?.done;
    };
    const all = [
      pool.run(task('running', first), 1),
      pool.run(task('short'), 1),
      pool.run(task('long'), 50),
      pool.run(task('long too'), 50),
      pool.run(task('probe'), Number.POSITIVE_INFINITY),
    ];
    await turn();
    first.release();
    await Promise.all(all);
    assert.deepEqual(started, ['running', 'probe', 'long', 'long too', 'short']);
  });

  it('passes a failed task slot on and gives its error to its own caller', async () => {
    const pool = new Pool(1);
    const failed = pool.run(() => Promise.reject(new Error('valgrind died')));
    const next = pool.run(() => Promise.resolve('counted'));
    await assert.rejects(failed, /valgrind died/);
    assert.equal(await next, 'counted');
  });

  it('is sized by MODELBENCH_COUNT_JOBS when set, else by the cores', () => {
    assert.equal(countJobs({}, 2), 2);
    assert.equal(countJobs({ [COUNT_JOBS_ENV]: '' }, 16), 16);
    assert.equal(countJobs({ [COUNT_JOBS_ENV]: '1' }, 2), 1);
    assert.throws(
      () => countJobs({ [COUNT_JOBS_ENV]: 'two' }, 2),
      /MODELBENCH_COUNT_JOBS=two: it must be a whole number/,
    );
    assert.throws(() => countJobs({ [COUNT_JOBS_ENV]: '0' }, 2), /at least 1/);
    assert.throws(() => new Pool(0), /at least one slot/);
  });
});
