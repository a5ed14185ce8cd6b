// modelbench's own reference implementations behind the validate protocol, as a JavaScript module:
// `modelbench validate --impl src/validate/reference-impl.ts` runs the same checks a user's code meets.
import { wasmBackend } from '../backends/wasm.js';
import { logisticRegression } from '../models/logistic-regression/index.js';
import { svm } from '../models/svm/index.js';
import { sigmoid } from '../oracles/stable.js';
import { DEFAULT_BASE_SEED, Rng, seedsFrom } from '../seeds.js';
import type { Dataset, Tf } from '../types.js';
import { ANCHOR_TRAINING, discriminatorLogits, discriminatorStep, evaluate as ganEvaluate, generate as ganGenerate, noise as ganNoise, type GanNetwork } from '../models/gan/model.js';
import { trainGan } from '../models/gan/train.js';
import type { VaeArchitecture } from '../models/vae/architecture.js';
import { ADAM_DEFAULTS, decode as vaeDecode, encode as vaeEncode, evaluateElbo, type VaeNetwork } from '../models/vae/model.js';
import { trainVae } from '../models/vae/train.js';

let tfPromise: Promise<Tf> | undefined;
const tfjs = () => (tfPromise ??= wasmBackend.activate().then((a) => a.tf));

interface Request {
  op: string;
  model?: string;
  X?: number[][];
  y?: number[];
  params?: { C?: number | null; kernel?: string; gamma?: number };
}

function dataset(X: number[][], y: number[]): Dataset {
  const cols = X[0]?.length ?? 0;
  return { name: 'request', rows: X.length, cols, x: Float64Array.from(X.flat()), y: Float64Array.from(y, (v) => (v === 1 ? 1 : 0)), featureNames: Array.from({ length: cols }, (_, j) => `x${j}`) };
}

let lastLogreg: { weights: number[]; bias: number } | undefined;
let lastSvm: { X: number[][]; t: number[]; weights?: number[]; bias: number; support: number[]; dualCoef: number[]; gamma?: number } | undefined;

export function hello() {
  return { name: 'modelbench reference (tfjs wasm)', version: '0.1.0', models: ['logreg', 'svm', 'vae', 'gan'] };
}

export async function fit(r: Request) {
  if (r.model === 'vae') return fitVae(r);
  if (r.model === 'gan') return fitGan(r);
  const data = dataset(r.X!, r.y!);
  // "C": null means no penalty (logreg) or a hard margin (svm): C = inf in our implementations.
  const c = r.params?.C;
  const C = c === null ? 'inf' : c === undefined ? '1' : String(c);
  if (r.model === 'logreg') {
    const s = await logisticRegression.fit(await tfjs(), data, { C, tol: '1e-9' }, seedsFrom(DEFAULT_BASE_SEED));
    lastLogreg = { weights: s.parameters.weights as number[], bias: s.parameters.bias as number };
    return lastLogreg;
  }
  if (r.model === 'svm') {
    const kernel = r.params?.kernel ?? 'linear';
    const options = { C, kernel, ...(kernel === 'rbf' ? { gamma: String(r.params?.gamma ?? 'scale') } : {}) };
    const s = await svm.fit(await tfjs(), data, options, seedsFrom(DEFAULT_BASE_SEED));
    const p = s.parameters;
    lastSvm = { X: r.X!, t: r.y!, weights: p.weights as number[] | undefined, bias: p.bias as number, support: p.support as number[], dualCoef: p.dual_coef as number[], gamma: p.gamma as number | undefined };
    return { bias: lastSvm.bias, ...(lastSvm.weights ? { weights: lastSvm.weights } : {}), dual_coef: lastSvm.dualCoef, support: lastSvm.support };
  }
  return { error: `model '${r.model}' is not implemented here` };
}

// ---- VAE ----

let vaeNet: VaeNetwork | undefined;

async function fitVae(r: Request) {
  const p = (r.params ?? {}) as Record<string, number | string>;
  const data = dataset(r.X!, r.X!.map(() => 0));
  const architecture: VaeArchitecture = {
    input: data.cols,
    hidden: Number(p.hidden ?? 0),
    latent: Number(p.latent ?? 2),
    likelihood: p.likelihood === 'bernoulli' ? 'bernoulli' : 'gaussian',
    gaussianVariance: 'learned',
  };
  const config = { architecture, adam: { ...ADAM_DEFAULTS, learningRate: Number(p.lr ?? 1e-3) }, epochs: Number(p.epochs ?? 1), batchSize: Number(p.batch ?? 128), iwaeSamples: 1, iwaeExamples: 1 };
  vaeNet?.dispose();
  const result = await trainVae(await tfjs(), data, { ...data, rows: 1, x: data.x.subarray(0, data.cols) }, config, seedsFrom(Number(p.seed ?? DEFAULT_BASE_SEED)));
  vaeNet = result.network;
  return { elbo_trace: result.trace.map((t) => t.train_elbo) };
}

function rowsFrom(values: Float32Array | Float64Array, cols: number): number[][] {
  return Array.from({ length: values.length / cols }, (_, i) => Array.from(values.subarray(i * cols, (i + 1) * cols)));
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
  return { mu: rowsFrom(mu as Float32Array, net.architecture.latent), logvar: rowsFrom(logvar as Float32Array, net.architecture.latent) };
}

export async function decode(r: Request & { Z?: number[][] }) {
  if (!vaeNet) return { error: 'decode before fit' };
  const tf = await tfjs();
  const net = vaeNet;
  const z = tf.tensor2d(r.Z!);
  const out = tf.tidy(() => vaeDecode(tf, net, z));
  const values = rowsFrom((await out.data()) as Float32Array, net.architecture.input);
  tf.dispose([z, out]);
  if (net.architecture.likelihood === 'bernoulli') return { logits: values };
  const logvar = Array.from(await net.params.get('out.logvar')!.data());
  return { mean: values, logvar: values.map(() => logvar) };
}

export async function elbo(r: Request & { eps?: number[][] }) {
  if (!vaeNet) return { error: 'elbo before fit' };
  const terms = await evaluateElbo(await tfjs(), vaeNet, Float32Array.from(r.X!.flat()), Float32Array.from(r.eps!.flat()), r.X!.length);
  return { elbo: Array.from(terms.elbo) };
}

// ---- GAN ----

let ganNet: GanNetwork | undefined;

async function fitGan(r: Request) {
  const p = (r.params ?? {}) as Record<string, number>;
  const data = dataset(r.X!, r.X!.map(() => 0));
  const config = {
    architecture: { dataDim: data.cols, noiseDim: Number(p.noise ?? 1), hidden: 64, layers: 2 },
    training: ANCHOR_TRAINING,
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
  const rng = new Rng(DEFAULT_BASE_SEED);
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

export async function generate(r: Request & { Z?: number[][] }) {
  if (!ganNet) return { error: 'generate before fit' };
  const tf = await tfjs();
  const net = ganNet;
  const z = tf.tensor2d(r.Z!);
  const x = tf.tidy(() => ganGenerate(tf, net, z));
  const values = rowsFrom((await x.data()) as Float32Array, net.architecture.dataDim);
  tf.dispose([z, x]);
  return { X: values };
}

export async function value(r: Request & { Z?: number[][] }) {
  if (!ganNet) return { error: 'value before fit' };
  const e = await ganEvaluate(await tfjs(), ganNet, Float32Array.from(r.X!.flat()), Float32Array.from(r.Z!.flat()), r.X!.length);
  return { value: e.value };
}

export function predict_proba(r: Request) {
  if (!lastLogreg) return { error: 'predict_proba before fit' };
  const { weights, bias } = lastLogreg;
  return { proba: r.X!.map((x) => sigmoid(x.reduce((s, v, j) => s + v * weights[j], bias))) };
}

export function decision_function(r: Request) {
  const m = lastSvm;
  if (!m) return { error: 'decision_function before fit' };
  const scores = r.X!.map((x) => {
    if (m.weights) return x.reduce((s, v, j) => s + v * m.weights![j], m.bias);
    return m.support.reduce((s, i, k) => {
      const d2 = x.reduce((acc, v, j) => acc + (v - m.X[i][j]) ** 2, 0);
      return s + m.dualCoef[k] * Math.exp(-m.gamma! * d2);
    }, m.bias);
  });
  return { scores };
}
