// The VAE's workloads for implementations under test: the same Fashion-MNIST subset, network and
// Adam settings as ours. `init` (untimed) builds fresh networks; the timed requests are a training
// step, an encode or a decode of one batch. Judged as our rows are: the mean ELBO it reports on the
// first test images with our noise against the float64 recomputation from its own encoder and
// decoder outputs.
import { loadFashionMnistFixture } from '../../data/fashion-mnist.js';
import type { ImplWorkload, ImplWorkloadContext, ImplSession } from '../../protocol/workload-types.js';
import { deriveSeed, Rng, standardNormals, type Seeds } from '../../seeds.js';
import type { Dataset, ObjectiveCheck } from '../../types.js';
import type { Request } from '../../protocol/messages.js';
import { elboFromOutputs } from './objective.js';
import { implOutputs } from './protocol-answer.js';
import { architectureOf } from './workloads.js';

const CHECK_ROWS = 64;
/** float32 implementations: per-example ELBO terms of hundreds of nats on images. */
const RECOMPUTATION_TOLERANCE = 1e-3;

function rowsOf(data: Dataset, start: number, count: number): number[][] {
  return Array.from({ length: count }, (_, i) =>
    Array.from(data.x.subarray((start + i) * data.cols, (start + i + 1) * data.cols)),
  );
}

async function judgeElbo(session: ImplSession, test: Dataset, latent: number, seeds: Seeds): Promise<ObjectiveCheck> {
  const rows = Math.min(CHECK_ROWS, test.rows);
  const X = rowsOf(test, 0, rows);
  const flat = standardNormals(new Rng(deriveSeed(seeds.sampling, 'check')), rows, latent);
  const eps = Array.from({ length: rows }, (_, i) => Array.from(flat.subarray(i * latent, (i + 1) * latent)));
  const o = await implOutputs((m) => session.request(m), X, eps, latent);
  let reported = 0;
  let recomputed = 0;
  for (let i = 0; i < rows; i++) {
    reported += o.elbo[i] / rows;
    recomputed += elboFromOutputs(X[i], o.mu[i], o.logvar[i], o.decoded[i]).elbo / rows;
  }
  const relError = Math.abs(reported - recomputed) / Math.max(1, Math.abs(recomputed));
  const passed = relError <= RECOMPUTATION_TOLERANCE;
  return {
    objectiveName: 'ELBO',
    modelValue: reported,
    oracleValue: recomputed,
    relError,
    tolerance: RECOMPUTATION_TOLERANCE,
    passed,
    note: passed
      ? undefined
      : `mean ELBO of ${rows} test images: reported ${reported}, recomputed in ` +
        `float64 from its encode/decode outputs ${recomputed}`,
  };
}

async function initialised(ctx: ImplWorkloadContext) {
  const { train, test } = loadFashionMnistFixture();
  const a = architectureOf(ctx.size);
  const params = {
    input: a.input,
    hidden: a.hidden,
    latent: a.latent,
    likelihood: a.likelihood,
    lr: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    seed: ctx.seeds.init,
  };
  await ctx.session.request({ op: 'init', model: 'vae', params });
  return { train, test, a, batch: ctx.size.batch };
}

function workload(
  name: string,
  description: string,
  timed: (ctx: ImplWorkloadContext, s: Awaited<ReturnType<typeof initialised>>) => Promise<Request>,
): ImplWorkload {
  return {
    name,
    description,
    async prepare(ctx) {
      const s = await initialised(ctx);
      return {
        request: await timed(ctx, s),
        workPerRun: s.batch,
        workUnit: 'samples/s',
        judge: () => judgeElbo(ctx.session, s.test, s.a.latent, ctx.seeds),
      };
    },
  };
}

export const VAE_IMPL_WORKLOADS: readonly ImplWorkload[] = [
  workload(
    'train-step',
    'train_steps: one Adam step on -ELBO over the next batch of the loaded images (cycling), its loss read back',
    async (ctx, s) => ({
      op: 'train_steps',
      model: 'vae',
      X: await ctx.session.load(s.train.x, [s.train.rows, s.train.cols]),
      steps: 1,
      batch: s.batch,
    }),
  ),
  workload('encode', 'encode: mu and log-variance of one batch of images', async (ctx, s) => ({
    op: 'encode',
    model: 'vae',
    X: await ctx.session.load(s.train.x.subarray(0, s.batch * s.train.cols), [s.batch, s.train.cols]),
  })),
  workload('decode', 'decode: decoder outputs for one batch of latent codes', async (ctx, s) => ({
    op: 'decode',
    model: 'vae',
    Z: await ctx.session.load(standardNormals(new Rng(deriveSeed(ctx.seeds.sampling, 'noise')), s.batch, s.a.latent), [
      s.batch,
      s.a.latent,
    ]),
  })),
];
