// FlatAdam against TorchAdam (PyTorch's arithmetic variable by variable): the same parameters bit for bit after
// many steps, with its kernel (cpu, wasm) and without it (the composite path other backends take), and the
// variables' semantics kept where the kernel writes in place: a buffer another tensor shares is left alone, an
// array read back on cpu is not changed, and a matMul after an in-place update sees the new values (tfjs-wasm
// caches XNNPACK's packing of a weight matrix by its tensor id).
import assert from 'node:assert/strict';
import { it } from 'vitest';
import type * as tfc from '@tensorflow/tfjs';
import { FLAT_ADAM_KERNEL } from '../../src/optim/adam-kernel.js';
import { FlatAdam } from '../../src/optim/flat-adam.js';
import { TorchAdam } from '../../src/optim/torch-adam.js';
import { Rng } from '../../src/seeds.js';
import { countDispatch } from '../../src/timing/dispatch-count.js';
import type { Tf } from '../../src/types.js';
import { describeEachBackend } from '../helpers/each-backend.js';

const SETTINGS = { learningRate: 1e-2, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 };
const STEPS = 25;
/** A two-layer regression: weights enter matMuls (XNNPACK's cache on wasm), shapes differ, one is a scalar. */
const SHAPES: readonly (readonly number[])[] = [[6, 5], [5], [5, 1], []];

function problem(tf: Tf) {
  const rng = new Rng(17);
  const draw = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  const x = tf.tensor2d(draw(40 * 6), [40, 6]);
  const y = tf.tensor2d(draw(40), [40, 1]);
  const initial = SHAPES.map((s) => draw(s.reduce((a, b) => a * b, 1)));
  const make = () => tf.tidy(() => initial.map((v, i) => tf.variable(tf.tensor(v, [...SHAPES[i]]))));
  const loss = (w: tfc.Variable[]) => () =>
    tf.tidy(() => {
      const h = tf.relu(tf.add(tf.matMul(x, w[0] as tfc.Tensor2D), w[1]));
      const out = tf.add(tf.matMul(h, w[2] as tfc.Tensor2D), w[3]);
      return tf.mean(tf.square(tf.sub(out, y))) as tfc.Scalar;
    });
  return { make, loss, dispose: () => tf.dispose([x, y]) };
}

type Optimizer = 'torch' | 'flat' | 'flat-composite';

async function train(tf: Tf, which: Optimizer, steps = STEPS): Promise<Float32Array[]> {
  const p = problem(tf);
  const w = p.make();
  const opt = which === 'torch' ? new TorchAdam(tf, w, SETTINGS) : new FlatAdam(tf, w, SETTINGS);
  const backend = tf.getBackend();
  const kernel = tf.getKernel(FLAT_ADAM_KERNEL, backend);
  // The composite path, as on a backend without the kernel (webgpu).
  if (which === 'flat-composite' && kernel) tf.unregisterKernel(FLAT_ADAM_KERNEL, backend);
  try {
    for (let i = 0; i < steps; i++) opt.minimize(p.loss(w)).dispose();
    return await Promise.all(w.map(async (v) => (await v.data()) as Float32Array));
  } finally {
    if (which === 'flat-composite' && kernel) tf.registerKernel(kernel);
    opt.dispose();
    tf.dispose(w);
    p.dispose();
  }
}

function assertSame(a: Float32Array[], b: Float32Array[], label: string): void {
  a.forEach((v, i) =>
    v.forEach((x, j) => assert.ok(Object.is(x, b[i][j]), `${label}: parameter ${i}[${j}] ${x} vs ${b[i][j]}`)),
  );
}

describeEachBackend(
  'FlatAdam: PyTorch’s Adam over all parameters at once',
  (b) => {
    it(`gives the per-variable Adam’s parameters bit for bit after ${STEPS} steps, with its kernel and without`, async () => {
      const start = await train(b.tf, 'torch', 0);
      const torch = await train(b.tf, 'torch');
      assert.ok(
        torch.every((v, i) => v.some((x, j) => x !== start[i][j])),
        'every parameter moved',
      );
      assertSame(await train(b.tf, 'flat'), torch, 'kernel');
      assertSame(await train(b.tf, 'flat-composite'), torch, 'composite');
      // A wrong update shows: one step fewer differs.
      const short = await train(b.tf, 'flat', STEPS - 1);
      assert.ok(short.some((v, i) => v.some((x, j) => x !== torch[i][j])));
    });

    it('dispatches one kernel for the update, against 13 per variable', async () => {
      const { tf } = b;
      const counts: Record<string, number> = {};
      for (const which of ['torch', 'flat'] as const) {
        const p = problem(tf);
        const w = p.make();
        const opt = which === 'torch' ? new TorchAdam(tf, w, SETTINGS) : new FlatAdam(tf, w, SETTINGS);
        opt.minimize(p.loss(w)).dispose();
        counts[which] = (await countDispatch(tf, async () => opt.minimize(p.loss(w)).dispose())).kernels;
        opt.dispose();
        tf.dispose(w);
        p.dispose();
      }
      assert.equal(counts.torch - counts.flat, 13 * SHAPES.length - 1, JSON.stringify(counts));
    });

    it('leaves a buffer another tensor shares, and arrays read back, as they were', async () => {
      const { tf } = b;
      const p = problem(tf);
      const w = p.make();
      const opt = new FlatAdam(tf, w, SETTINGS);
      opt.minimize(p.loss(w)).dispose();
      // A reshape shares its variable's buffer; an array read back may be the backend's own (cpu).
      const view = tf.reshape(w[0], [30]);
      const read = w[2].dataSync();
      const before = { view: Float32Array.from(view.dataSync()), read: Float32Array.from(read) };
      opt.minimize(p.loss(w)).dispose();
      assertSame([view.dataSync() as Float32Array, read as Float32Array], [before.view, before.read], 'kept');
      assert.ok(
        w[0].dataSync().some((x, j) => x !== before.view[j]),
        'the variable itself moved',
      );
      tf.dispose([view, ...w]);
      opt.dispose();
      p.dispose();
    });
  },
  { only: ['cpu', 'wasm'] },
);
