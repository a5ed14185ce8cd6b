// Each row's GFLOP/s and share of the backend's matMul ceiling: the dense-product counts by hand on a
// small network, the ceiling measured on a backend, and the row fields a run writes.
import assert from 'node:assert/strict';
import { beforeAll, describe, it } from 'vitest';
import { cpuBackend } from '../../src/backends/cpu.js';
import { measureCeiling } from '../../src/timing/ceiling.js';
import { countDispatch } from '../../src/timing/dispatch-count.js';
import { efficiency, runCell, withCeiling } from '../../src/timing/run-cell.js';
import { forwardFlops, trainingFlops } from '../../src/models/dense-flops.js';
import { stepFlops } from '../../src/models/gan/workloads.js';
import { LOGREG_WORKLOADS } from '../../src/models/logistic-regression/workloads.js';
import { denseLayers } from '../../src/models/vae/architecture.js';
import { createVae, noise, readParameters, trainStep } from '../../src/models/vae/model.js';
import { Rng, seedsFrom } from '../../src/seeds.js';
import type { BackendRuntime, Tf } from '../../src/types.js';

describe('dense-product counts', () => {
  it('a VAE 6-4-2-4-6 step: forward 2B(24 + 8 + 8 + 8 + 24); backward twice that, less the input gradient of the data layer', () => {
    const a = { input: 6, hidden: 4, latent: 2, likelihood: 'bernoulli' as const, gaussianVariance: 'learned' as const };
    const l = denseLayers(a);
    const forward = 2 * 3 * (24 + 8 + 8 + 8 + 24);
    assert.equal(forwardFlops(3, l.all), forward);
    assert.equal(trainingFlops(3, l.all, l.fromData), 3 * forward - 2 * 3 * 24);
    assert.equal(forwardFlops(3, l.encoder), 2 * 3 * (24 + 8 + 8));
  });

  it('a GAN step with 1-layer networks (2-3-2 generator, 2-3-1 discriminator): 4 Fg - Fg1 + 8 Fd - 2 Fd1', () => {
    const B = 5;
    const g = 2 * B * (2 * 3 + 3 * 2);
    const d = 2 * B * (2 * 3 + 3 * 1);
    assert.equal(stepFlops({ dataDim: 2, noiseDim: 2, hidden: 3, layers: 1 }, B), 4 * g - 2 * B * 6 + 8 * d - 2 * (2 * B * 6));
  });

  it('GFLOP/s at the median time, the ceiling share, and the note only below half of it', () => {
    const fast = efficiency(2e9, 100, { n: 1024, gflops: 25 }, 'dispatch');
    assert.equal(fast.gflops, 20);
    assert.equal(fast.ceilingFraction, 0.8);
    assert.equal(fast.efficiencyNote, undefined);
    const slow = efficiency(2e9, 1000, { n: 1024, gflops: 25 }, 'dispatch');
    assert.equal(efficiency(2e9, 1000, undefined, 'dispatch').efficiencyNote, 'dispatch');
    assert.equal(withCeiling({ gflops: 2, efficiencyNote: 'dispatch' }, { n: 256, gflops: 100 }).efficiencyNote, 'dispatch');
    assert.equal(withCeiling({ gflops: 80, efficiencyNote: 'dispatch' }, { n: 256, gflops: 100 }).efficiencyNote, undefined);
    assert.equal(withCeiling({ gflops: 2, efficiencyNote: 'dispatch' }, undefined).efficiencyNote, undefined);
    assert.equal(slow.efficiencyNote, 'dispatch');
    assert.equal(efficiency(2e9, 1000, undefined, 'dispatch').ceilingFraction, undefined);
  });
});

describe('the matMul ceiling and the row', () => {
  let tf: Tf;
  let runtime: BackendRuntime;
  beforeAll(async () => {
    ({ tf, runtime } = await cpuBackend.activate());
  });

  it('measures a positive ceiling on a square size from 256 to 1024 and leaves no tensors', async () => {
    const before = tf.memory().numTensors;
    const c = await measureCeiling(tf, 1);
    assert.ok([256, 512, 1024].includes(c.n) && c.gflops > 0, JSON.stringify(c));
    assert.equal(tf.memory().numTensors, before);
  });

  it('a predict row carries GFLOP/s and its share of the ceiling it was given', async () => {
    const predict = LOGREG_WORKLOADS.find((w) => w.name === 'predict')!;
    const row = await runCell(tf, runtime, { model: 'logreg', workload: 'predict', size: { rows: 2000, cols: 20 } }, predict, seedsFrom(1), { timeMs: 10, minIterations: 3, warmupIterations: 0 }, { n: 256, gflops: 1000 });
    assert.equal(row.status, 'ok', row.error);
    assert.ok(row.gflops! > 0);
    assert.equal(row.ceilingGflops, 1000);
    assert.ok(Math.abs(row.ceilingFraction! - row.gflops! / 1000) < 1e-12);
    assert.match(row.efficiencyNote ?? '', /memory-bound/);
  });
});

describe('kernels and host synchronisations per run', () => {
  let tf: Tf;
  beforeAll(async () => {
    ({ tf } = await cpuBackend.activate());
  });

  it('counts the kernels that move data (not Reshape) and one read as one synchronisation', async () => {
    const a = tf.ones([4, 4]);
    const d = await countDispatch(tf, async () => {
      const c = tf.reshape(tf.add(tf.matMul(a, a), 1), [16]);
      await c.data();
      c.dispose();
    });
    assert.deepEqual(d, { kernels: 2, hostSyncs: 1 });
    a.dispose();
  });
});

describe('one Adam update over all parameters', () => {
  let tf: Tf;
  beforeAll(async () => {
    ({ tf } = await cpuBackend.activate());
  });

  it('follows the same trajectory as the per-variable Adam (PyTorch’s arithmetic) on a VAE, with fewer kernels and no leaked tensor', async () => {
    const a = { input: 6, hidden: 4, latent: 2, likelihood: 'bernoulli' as const, gaussianVariance: 'learned' as const };
    const rng = new Rng(3);
    const x = tf.tensor2d(Float32Array.from({ length: 8 * 6 }, () => (rng.uniform() < 0.5 ? 0 : 1)), [8, 6]);
    const eps = tf.tensor2d(noise(rng, 8, 2), [8, 2]);
    const before = tf.memory().numTensors;
    const runs: { elbo: number[]; params: Record<string, Float64Array>; kernels: number }[] = [];
    for (const adam of ['torch', 'flat'] as const) {
      const net = createVae(tf, a, 11, { learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, adam);
      const elbo: number[] = [];
      for (let i = 0; i < 20; i++) elbo.push(await trainStep(tf, net, x, eps));
      const kernels = (await countDispatch(tf, async () => void (await trainStep(tf, net, x, eps)))).kernels;
      runs.push({ elbo, params: await readParameters(net), kernels });
      net.dispose();
    }
    assert.equal(tf.memory().numTensors, before);
    runs[0].elbo.forEach((v, i) => assert.ok(Math.abs(v - runs[1].elbo[i]) <= 1e-4 * Math.max(1, Math.abs(v)), `step ${i}: ${v} vs ${runs[1].elbo[i]}`));
    for (const [name, values] of Object.entries(runs[0].params)) values.forEach((v, i) => assert.ok(Math.abs(v - runs[1].params[name][i]) <= 1e-4, `${name}[${i}]`));
    assert.ok(runs[1].kernels < runs[0].kernels, `${runs[1].kernels} vs ${runs[0].kernels}`);
    tf.dispose([x, eps]);
  });
});

describe('training steps with nothing crossing to the host', () => {
  let tf: Tf;
  let runtime: BackendRuntime;
  beforeAll(async () => {
    ({ tf, runtime } = await cpuBackend.activate());
  });

  it('the VAE step on the device: at most 100 kernels per step (205 with the per-variable Adam and host noise; 219 with tfjs\'s Adam), one read-back per run, checks passing', async () => {
    const { VAE_WORKLOADS } = await import('../../src/models/vae/workloads.js');
    const timing = { timeMs: 1, minIterations: 3, warmupIterations: 0 };
    const cell = (workload: string, size: Record<string, number>) => ({ model: 'vae', workload, size });
    const host = await runCell(tf, runtime, cell('train-step', { batch: 16, hidden: 32, latent: 4 }), VAE_WORKLOADS.find((w) => w.name === 'train-step'), seedsFrom(1), timing);
    // A narrow network (the kernel count does not depend on the widths); 16 steps: one refill of the
    // noise block per run, so kernels_per_run / 16 is the steady per-step count.
    const device = await runCell(tf, runtime, cell('train-steps-on-device', { batch: 16, hidden: 32, latent: 4, steps: 16 }), VAE_WORKLOADS.find((w) => w.name === 'train-steps-on-device'), seedsFrom(1), timing);
    for (const row of [host, device]) {
      assert.equal(row.status, 'ok', row.error);
      assert.equal(row.tensorsLeaked, 0);
    }
    assert.equal(host.kernelsPerRun, 205);
    assert.ok(device.kernelsPerRun! / 16 <= 100, `${device.kernelsPerRun! / 16} kernels per step`);
    assert.equal(device.hostSyncsPerRun, 1);
  });
});
