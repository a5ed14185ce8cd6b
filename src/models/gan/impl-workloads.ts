// The GAN's workloads for implementations under test: the same real samples (the 8-Gaussians ring,
// or Fashion-MNIST images), networks and Adam settings as ours. `init` (untimed) builds fresh
// networks; the timed requests are a training step (one D and one G update, non-saturating) or a
// generate. Judged as our rows are: the V it reports on fixed real samples and noise against V
// recomputed in float64 from its own discriminator and generator outputs.
import type { ImplWorkload, ImplWorkloadContext } from '../../protocol/workload-types.js';
import { deriveSeed, Rng, standardNormals } from '../../seeds.js';
import type { ObjectiveCheck } from '../../types.js';
import { matrix, numbers, scalar } from '../../protocol/messages.js';
import { drawRows } from './data.js';
import { ANCHOR_TRAINING } from './model.js';
import { valueFromLogits } from './objective.js';
import { architectureOf, IMAGE_DATA, RING_DATA, type RealData } from './workloads.js';
import { ganInitParams } from './init-params.js';

const CHECK_ROWS = 256;
const RECOMPUTATION_TOLERANCE = 1e-3;

function asRows(values: Float32Array | Float64Array, cols: number): number[][] {
  return Array.from({ length: values.length / cols }, (_, i) => Array.from(values.subarray(i * cols, (i + 1) * cols)));
}

async function initialised(ctx: ImplWorkloadContext, data: RealData) {
  const a = architectureOf(ctx.size, data);
  const params = ganInitParams(a, ANCHOR_TRAINING, ctx.seeds.init);
  await ctx.session.request({ op: 'init', model: 'gan', params });
  return { a, pool: data.pool(ctx.seeds) };
}

async function judgeValue(
  ctx: ImplWorkloadContext,
  s: Awaited<ReturnType<typeof initialised>>,
): Promise<ObjectiveCheck> {
  const rng = new Rng(deriveSeed(ctx.seeds.sampling, 'check'));
  const X = asRows(drawRows(s.pool, CHECK_ROWS, rng), s.a.dataDim);
  const Z = asRows(standardNormals(rng, CHECK_ROWS, s.a.noiseDim), s.a.noiseDim);
  const reported = scalar(await ctx.session.request({ op: 'value', model: 'gan', X, Z }), 'value');
  const fake = matrix(await ctx.session.request({ op: 'generate', model: 'gan', Z }), 'X', CHECK_ROWS, s.a.dataDim);
  const realLogits = numbers(await ctx.session.request({ op: 'discriminate', model: 'gan', X }), 'logits', CHECK_ROWS);
  const fakeLogits = numbers(
    await ctx.session.request({ op: 'discriminate', model: 'gan', X: fake }),
    'logits',
    CHECK_ROWS,
  );
  const recomputed = valueFromLogits(realLogits, fakeLogits);
  const relError = Math.abs(reported - recomputed) / Math.max(1e-12, Math.abs(recomputed));
  const passed = relError <= RECOMPUTATION_TOLERANCE;
  return {
    objectiveName: 'V(D,G)',
    modelValue: reported,
    oracleValue: recomputed,
    relError,
    tolerance: RECOMPUTATION_TOLERANCE,
    passed,
    note: passed
      ? undefined
      : `V on ${CHECK_ROWS} real samples: reported ${reported}, recomputed in ` +
        `float64 from its discriminate/generate outputs ${recomputed}`,
  };
}

function trainStep(name: string, data: RealData): ImplWorkload {
  return {
    name,
    description:
      `train_steps: one discriminator and one generator Adam update ` +
      `(non-saturating) on batches it draws from the loaded ${data.label}`,
    async prepare(ctx) {
      const s = await initialised(ctx, data);
      const X = await ctx.session.load(s.pool.x, [s.pool.rows, s.pool.cols]);
      return {
        request: { op: 'train_steps', model: 'gan', X, steps: 1, batch: ctx.size.batch },
        workPerRun: 1,
        workUnit: 'iterations/s',
        judge: () => judgeValue(ctx, s),
      };
    },
  };
}

const generate: ImplWorkload = {
  name: 'generate',
  description: 'generate: G(z) for one batch of loaded noise vectors',
  async prepare(ctx) {
    const s = await initialised(ctx, RING_DATA);
    const Z = await ctx.session.load(
      standardNormals(new Rng(deriveSeed(ctx.seeds.sampling, 'noise')), ctx.size.batch, s.a.noiseDim),
      [ctx.size.batch, s.a.noiseDim],
    );
    return {
      request: { op: 'generate', model: 'gan', Z },
      workPerRun: ctx.size.batch,
      workUnit: 'samples/s',
      judge: () => judgeValue(ctx, s),
    };
  },
};

export const GAN_IMPL_WORKLOADS: readonly ImplWorkload[] = [
  trainStep('train-step', RING_DATA),
  trainStep('train-step-images', IMAGE_DATA),
  generate,
];
