// The harness's own checks, each shown to catch a deliberately broken model.
import assert from 'node:assert/strict';
import { beforeAll, describe, it } from 'vitest';
import { cpuBackend } from '../../src/backends/cpu.js';
import { runCell } from '../../src/timing/run-cell.js';
import { logisticData } from '../../src/data/synthetic.js';
import { evaluateOnDevice, fit, LOGREG_DEFAULTS, uploadData } from '../../src/models/logistic-regression/model.js';
import { checkFit, LOGREG_WORKLOADS } from '../../src/models/logistic-regression/workloads.js';
import { seedsFrom } from '../../src/seeds.js';
import type { BackendRuntime, Tf, WorkloadSpec } from '../../src/types.js';

const seeds = seedsFrom(1);
const timing = { timeMs: 10, minIterations: 3, warmupIterations: 0 };
const cell = { model: 'logreg', workload: 'fit', size: { rows: 100, cols: 3 } };
const fitWorkload = LOGREG_WORKLOADS.find((w) => w.name === 'fit')!;

describe('run-cell checks catch broken models', () => {
  let tf: Tf;
  let runtime: BackendRuntime;
  beforeAll(async () => {
    ({ tf, runtime } = await cpuBackend.activate());
  });

  it('a correct workload gives an ok row with samples, objective and seeds', async () => {
    const row = await runCell(tf, runtime, cell, fitWorkload, seeds, timing);
    assert.equal(row.status, 'ok', row.error);
    assert.equal(row.check, 'pass');
    assert.ok(row.samples >= 3 && row.rawSamples!.length === row.samples);
    assert.ok(row.medianMs! > 0 && row.firstRunMs! > 0);
    assert.equal(row.tensorsLeaked, 0);
    assert.equal(row.seedData, seeds.data);
  });

  it('a fit whose backend objective forgets the penalty fails the objective check', () => {
    const data = logisticData(100, 3, 1);
    return fit(tf, data, LOGREG_DEFAULTS).then((good) => {
      const sq = good.weights.reduce((s, v) => s + v * v, 0);
      const broken = { ...good, backendObjective: good.backendObjective - 0.5 * sq };
      assert.equal(checkFit(data, 1, good, runtime).passed, true);
      assert.equal(checkFit(data, 1, broken, runtime).passed, false);
    });
  });

  it('a solver that stops short of the optimum fails the convergence check, even if it claims success', async () => {
    const data = logisticData(500, 5, 2);
    const good = await fit(tf, data, LOGREG_DEFAULTS);
    // Parameters 10% short of the optimum, with their objective computed honestly on the backend.
    const weights = good.weights.map((v) => 0.9 * v);
    const theta = Float64Array.from([...weights, good.bias]);
    const dev = uploadData(tf, data);
    const honest = await evaluateOnDevice(tf, dev, 1, theta);
    dev.dispose();
    const liar = { ...good, weights, backendObjective: honest.value, converged: true };
    const check = checkFit(data, 1, liar, runtime);
    assert.equal(check.passed, false);
    assert.match(check.note!, /grad J/);
  });

  it('a workload that leaks a tensor per run is flagged', async () => {
    const leaky: WorkloadSpec = {
      ...fitWorkload,
      async prepare(...args) {
        const inner = await fitWorkload.prepare(...args);
        return { ...inner, run: async () => { tf.zeros([2]); await inner.run(); } };
      },
    };
    const row = await runCell(tf, runtime, cell, leaky, seeds, timing);
    assert.equal(row.status, 'check-failed');
    assert.ok(row.tensorsLeaked! > 0);
    assert.match(row.error!, /tensors leaked/);
  });

  it('a workload that throws becomes an errored row, not an exception', async () => {
    const throwing: WorkloadSpec = {
      ...fitWorkload,
      async prepare(...args) {
        const inner = await fitWorkload.prepare(...args);
        return { ...inner, run: async () => { throw new Error('kernel exploded'); } };
      },
    };
    const row = await runCell(tf, runtime, cell, throwing, seeds, timing);
    assert.equal(row.status, 'errored');
    assert.match(row.error!, /kernel exploded/);
    assert.equal(row.tensorsLeaked, 0);
  });

  it('a workload whose prepare fails becomes an errored row', async () => {
    const row = await runCell(tf, runtime, { ...cell, size: { rows: 0, cols: 0 } }, fitWorkload, seeds, timing);
    assert.equal(row.status, 'errored');
    assert.match(row.error!, /prepare: logreg workloads need sizes/);
  });
});
