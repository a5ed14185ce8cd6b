// The GAN's flat step (train-step-flat-adam) against its per-variable step (train-step): from one seed and on
// the same batches and noise, the same parameters bit for bit after K steps, on cpu and wasm, in at most 150
// kernels per step (139) against 365, no tensor leaked; and the workload's row passes the GAN's V check.
import assert from 'node:assert/strict';
import { it } from 'vitest';
import type * as tfc from '@tensorflow/tfjs';
import { ANCHOR_ARCHITECTURE } from '../../../src/models/gan/architecture.js';
import { mixtureSample, RING8 } from '../../../src/models/gan/data.js';
import { createGan, noise, readParameters, trainStep, type GanStepForm } from '../../../src/models/gan/model.js';
import { GAN_WORKLOADS } from '../../../src/models/gan/workloads.js';
import { Rng, seedsFrom } from '../../../src/seeds.js';
import { countDispatch } from '../../../src/timing/dispatch-count.js';
import { runCell } from '../../../src/timing/run-cell.js';
import type { Tf } from '../../../src/types.js';
import { describeEachBackend } from '../../helpers/each-backend.js';

/** Steps compared: past the first, after which the wasm kernel updates in place (and XNNPACK's cached packing
 *  of each weight matrix must follow). A larger batch on wasm, where XNNPACK sums the rows of a product. */
const STEPS = 12;
const BATCH: Record<string, number> = { cpu: 64, wasm: 512 };
const MAX_FLAT_KERNELS = 150;

interface Trained {
  readonly params: Record<string, Float64Array>;
  readonly values: number[];
  readonly kernels: number;
}

async function train(tf: Tf, form: GanStepForm, batch: number): Promise<Trained> {
  const net = createGan(tf, ANCHOR_ARCHITECTURE, 5, undefined, form);
  const rng = new Rng(9);
  const pool = mixtureSample(RING8, 4096, new Rng(3), 'ring8');
  const step = async () => {
    const start = rng.int(pool.rows - batch);
    const real = tf.tensor2d(Float32Array.from(pool.x.slice(start * 2, (start + batch) * 2)), [batch, 2]);
    const zs = [0, 1].map(() => tf.tensor2d(noise(rng, batch, 2), [batch, 2]));
    try {
      return await trainStep(tf, net, [real as tfc.Tensor2D], zs as tfc.Tensor2D[]);
    } finally {
      tf.dispose([real, ...zs]);
    }
  };
  const values: number[] = [];
  for (let k = 0; k < STEPS; k++) values.push((await step()).value);
  const kernels = (await countDispatch(tf, async () => void (await step()))).kernels;
  const params = await readParameters(net);
  net.dispose();
  return { params, values, kernels };
}

describeEachBackend(
  'GAN: the flat step against the per-variable step',
  (b) => {
    it(`gives the same parameters bit for bit after ${STEPS} steps in at most ${MAX_FLAT_KERNELS} kernels per step`, async () => {
      const batch = BATCH[b.name];
      const old = await train(b.tf, 'per-variable', batch);
      const flat = await train(b.tf, 'flat', batch);
      assert.deepEqual(flat.values, old.values);
      for (const [name, values] of Object.entries(old.params))
        values.forEach((x, i) =>
          assert.ok(Object.is(x, flat.params[name][i]), `${name}[${i}]: ${x} vs ${flat.params[name][i]}`),
        );
      assert.equal(old.kernels, 365);
      assert.ok(flat.kernels <= MAX_FLAT_KERNELS, `${flat.kernels} kernels per step`);
    });

    it('times a row that passes the GAN’s V check, with two host reads per step', async () => {
      const workload = GAN_WORKLOADS.find((w) => w.name === 'train-step-flat-adam');
      const cell = { model: 'gan', workload: 'train-step-flat-adam', size: { batch: 64 } };
      const timing = { timeMs: 1, minIterations: 3, warmupIterations: 0 };
      const row = await runCell(b.tf, b.runtime, cell, workload, seedsFrom(1), timing);
      assert.equal(row.status, 'ok', row.error);
      assert.equal(row.check, 'pass');
      assert.equal(row.tensorsLeaked, 0);
      assert.ok(row.kernelsPerRun! <= MAX_FLAT_KERNELS, String(row.kernelsPerRun));
      assert.equal(row.hostSyncsPerRun, 2);
    });
  },
  { only: ['cpu', 'wasm'] },
);
