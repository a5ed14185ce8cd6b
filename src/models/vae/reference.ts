// The reference VAE behind the validate protocol: fit, encode, decode and the ELBO at given noise.
import type { VaeArchitecture } from './architecture.js';
import { ADAM_DEFAULTS, decode as vaeDecode, encode as vaeEncode, evaluateElbo, type VaeNetwork } from './model.js';
import { trainVae } from './train.js';
import { DEFAULT_BASE_SEED, seedsFrom } from '../../seeds.js';
import { toRows } from '../../protocol/messages.js';
import { dataset, tfjs, type ReferenceHandler, type Request } from '../reference-request.js';

let vaeNet: VaeNetwork | undefined;

export async function fitVae(r: Request) {
  const p = (r.params ?? {}) as Record<string, number | string>;
  const data = dataset(
    r.X!,
    r.X!.map(() => 0),
  );
  const architecture: VaeArchitecture = {
    input: data.cols,
    hidden: Number(p.hidden ?? 0),
    latent: Number(p.latent ?? 2),
    likelihood: p.likelihood === 'bernoulli' ? 'bernoulli' : 'gaussian',
    gaussianVariance: 'learned',
  };
  const config = {
    architecture,
    adam: { ...ADAM_DEFAULTS, learningRate: Number(p.lr ?? 1e-3) },
    epochs: Number(p.epochs ?? 1),
    batchSize: Number(p.batch ?? 128),
    iwaeSamples: 1,
    iwaeExamples: 1,
  };
  vaeNet?.dispose();
  const result = await trainVae(
    await tfjs(),
    data,
    { ...data, rows: 1, x: data.x.subarray(0, data.cols) },
    config,
    seedsFrom(Number(p.seed ?? DEFAULT_BASE_SEED)),
  );
  vaeNet = result.network;
  return { elbo_trace: result.trace.map((t) => t.train_elbo) };
}

export async function encode(r: Request) {
  if (!vaeNet) return { error: 'encode before fit' };
  const tf = await tfjs();
  const net = vaeNet;
  const x = tf.tensor2d(r.X!);
  const out = tf.tidy(() => {
    const e = vaeEncode(tf, net, x);
    return [e.mu, e.logvar];
  });
  const [mu, logvar] = await Promise.all(out.map((t) => t.data()));
  tf.dispose([x, ...out]);
  return {
    mu: toRows(mu as Float32Array, net.architecture.latent),
    logvar: toRows(logvar as Float32Array, net.architecture.latent),
  };
}

export async function decode(r: Request) {
  if (!vaeNet) return { error: 'decode before fit' };
  const tf = await tfjs();
  const net = vaeNet;
  const z = tf.tensor2d(r.Z!);
  const out = tf.tidy(() => vaeDecode(tf, net, z));
  const values = toRows((await out.data()) as Float32Array, net.architecture.input);
  tf.dispose([z, out]);
  if (net.architecture.likelihood === 'bernoulli') return { logits: values };
  const logvar = Array.from(await net.params.get('out.logvar')!.data());
  return { mean: values, logvar: values.map(() => logvar) };
}

export async function elbo(r: Request) {
  if (!vaeNet) return { error: 'elbo before fit' };
  const terms = await evaluateElbo(
    await tfjs(),
    vaeNet,
    Float32Array.from(r.X!.flat()),
    Float32Array.from(r.eps!.flat()),
    r.X!.length,
  );
  return { elbo: Array.from(terms.elbo) };
}

export const VAE_REFERENCE: ReferenceHandler = { fit: fitVae, encode, decode, elbo };
