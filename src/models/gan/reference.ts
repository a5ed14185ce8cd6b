// The reference GAN behind the validate protocol: fit, fit_discriminator, discriminate, generate, value.
import {
  ANCHOR_TRAINING,
  discriminatorLogits,
  discriminatorStep,
  evaluate as ganEvaluate,
  generate as ganGenerate,
  noise as ganNoise,
  type GanNetwork,
  type GeneratorLoss,
} from './model.js';
import { trainGan } from './train.js';
import { DEFAULT_BASE_SEED, deriveSeed, Rng, seedsFrom } from '../../seeds.js';
import { toRows } from '../../protocol/messages.js';
import { dataset, tfjs, type ReferenceHandler, type Request } from '../reference-request.js';

let ganNet: GanNetwork | undefined;

const isGeneratorLoss = (v: unknown): v is GeneratorLoss => v === 'nonsaturating' || v === 'minimax';

export async function fitGan(r: Request) {
  const p = (r.params ?? {}) as Record<string, number | string>;
  const loss = p.loss ?? 'nonsaturating';
  if (!isGeneratorLoss(loss))
    return { error: `params.loss must be "nonsaturating" or "minimax", got ${JSON.stringify(loss)}` };
  const data = dataset(
    r.X!,
    r.X!.map(() => 0),
  );
  const config = {
    architecture: { dataDim: data.cols, noiseDim: Number(p.noise ?? 1), hidden: 64, layers: 2 },
    training: { ...ANCHOR_TRAINING, generatorLoss: loss },
    steps: Number(p.steps ?? 1000),
    batchSize: Number(p.batch ?? 256),
    evalEvery: Math.max(1, Number(p.steps ?? 1000)),
    evalSamples: 256,
  };
  ganNet?.dispose();
  const result = await trainGan(await tfjs(), data, config, seedsFrom(Number(p.seed ?? DEFAULT_BASE_SEED)));
  ganNet = result.network;
  return { value_trace: result.trace.map((t) => t.value) };
}

export async function fit_discriminator(r: Request) {
  if (!ganNet) return { error: 'fit_discriminator before fit' };
  const tf = await tfjs();
  const p = (r.params ?? {}) as Record<string, number>;
  const steps = Number(p.steps ?? 1000);
  const batch = Number(p.batch ?? 512);
  const rng = new Rng(deriveSeed(Number(p.seed ?? DEFAULT_BASE_SEED), 'fit-discriminator'));
  const X = r.X!;
  const a = ganNet.architecture;
  for (let s = 0; s < steps; s++) {
    const xr = tf.tensor2d(Array.from({ length: batch }, () => X[rng.int(X.length)]));
    const z = tf.tensor2d(ganNoise(rng, batch, a.noiseDim), [batch, a.noiseDim]);
    tf.dispose([discriminatorStep(tf, ganNet, xr, z), xr, z]);
  }
  return {};
}

export async function discriminate(r: Request) {
  if (!ganNet) return { error: 'discriminate before fit' };
  const tf = await tfjs();
  const net = ganNet;
  const x = tf.tensor2d(r.X!);
  const logits = tf.tidy(() => discriminatorLogits(tf, net, x));
  const values = Array.from(await logits.data());
  tf.dispose([x, logits]);
  return { logits: values };
}

export async function generate(r: Request) {
  if (!ganNet) return { error: 'generate before fit' };
  const tf = await tfjs();
  const net = ganNet;
  const z = tf.tensor2d(r.Z!);
  const x = tf.tidy(() => ganGenerate(tf, net, z));
  const values = toRows((await x.data()) as Float32Array, net.architecture.dataDim);
  tf.dispose([z, x]);
  return { X: values };
}

export async function value(r: Request) {
  if (!ganNet) return { error: 'value before fit' };
  const e = await ganEvaluate(
    await tfjs(),
    ganNet,
    Float32Array.from(r.X!.flat()),
    Float32Array.from(r.Z!.flat()),
    r.X!.length,
  );
  return { value: e.value };
}

export const GAN_REFERENCE: ReferenceHandler = { fit: fitGan, fit_discriminator, discriminate, generate, value };
