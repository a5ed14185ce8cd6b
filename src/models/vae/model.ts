// The VAE on tfjs: an MLP encoder to (mu, logvar), reparameterised sampling with noise drawn from the
// seeded generator, an MLP decoder to Bernoulli logits or a Gaussian mean, and Adam on -mean ELBO.
import type * as tfc from '@tensorflow/tfjs';
import { Rng, standardNormals as noise } from '../../seeds.js';
import type { Tf } from '../../types.js';
import { FlatAdam } from '../../optim/flat-adam.js';
import { TorchAdam } from '../../optim/torch-adam.js';
import { parameterShapes, type VaeArchitecture } from './architecture.js';
import type { ParameterValues } from './oracle-network.js';

export interface AdamConfig {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  /** PyTorch's default, so that both optimise the same thing. */
  readonly epsilon: number;
}

export const ADAM_DEFAULTS: AdamConfig = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export interface VaeNetwork {
  readonly architecture: VaeArchitecture;
  readonly params: ReadonlyMap<string, tfc.Variable>;
  readonly optimizer: StepOptimizer;
  dispose(): void;
}

export interface ElboTensors {
  /** Per-example ELBO, reconstruction log-likelihood and KL, shape [batch]. */
  readonly elbo: tfc.Tensor1D;
  readonly reconstruction: tfc.Tensor1D;
  readonly kl: tfc.Tensor1D;
}

/** One optimiser step on f over the network's variables, f's value before the step returned. */
export interface StepOptimizer {
  minimize(f: () => tfc.Scalar): tfc.Scalar;
  dispose(): void;
}

/** 'torch': PyTorch's Adam arithmetic per variable (src/optim/torch-adam.ts: both bias corrections in float64,
 *  where tfjs's Adam accumulates beta2^t in float32 and every update comes out about 6.5e-6 short, all in one
 *  direction; the twin trajectories against PyTorch, docs/models.md); 'flat': one Adam update over all
 *  variables (src/optim/flat-adam.ts), 76 compute kernels per step on wasm, for devices where each kernel dispatch
 *  costs more than its arithmetic. */
export type AdamImplementation = 'torch' | 'flat';

/** Glorot-uniform weights from the init seed (as Keras and PyTorch's xavier_uniform), zero biases. */
export function createVae(
  tf: Tf,
  architecture: VaeArchitecture,
  initSeed: number,
  adam: AdamConfig = ADAM_DEFAULTS,
  adamImplementation: AdamImplementation = 'torch',
): VaeNetwork {
  const rng = new Rng(initSeed);
  const params = new Map<string, tfc.Variable>();
  for (const p of parameterShapes(architecture)) {
    const size = p.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (p.kind === 'weight') {
      const limit = Math.sqrt(6 / (p.shape[0] + p.shape[1]));
      for (let i = 0; i < size; i++) values[i] = (2 * rng.uniform() - 1) * limit;
    }
    const initial = tf.tensor(values, [...p.shape]);
    params.set(p.name, tf.variable(initial, true));
    // The variable holds its own reference to the data; the initial tensor would otherwise count as a leak.
    initial.dispose();
  }
  const variables = [...params.values()];
  const optimizer =
    adamImplementation === 'flat' ? new FlatAdam(tf, variables, adam) : new TorchAdam(tf, variables, adam);
  return {
    architecture,
    params,
    optimizer,
    dispose() {
      optimizer.dispose();
      for (const v of params.values()) v.dispose();
    },
  };
}

function get(net: VaeNetwork, name: string): tfc.Variable {
  const v = net.params.get(name);
  if (!v) throw new Error(`VAE parameter '${name}' is missing`);
  return v;
}

function dense(tf: Tf, x: tfc.Tensor2D, net: VaeNetwork, layer: string, relu: boolean): tfc.Tensor2D {
  return tf.fused.matMul({
    a: x,
    b: get(net, `${layer}.w`) as tfc.Tensor2D,
    bias: get(net, `${layer}.b`),
    activation: relu ? 'relu' : 'linear',
  }) as tfc.Tensor2D;
}

export function encode(tf: Tf, net: VaeNetwork, x: tfc.Tensor2D): { mu: tfc.Tensor2D; logvar: tfc.Tensor2D } {
  const h = net.architecture.hidden > 0 ? dense(tf, x, net, 'enc', true) : x;
  return { mu: dense(tf, h, net, 'mu', false), logvar: dense(tf, h, net, 'logvar', false) };
}

/** Bernoulli: logits; Gaussian: the mean (its log-variance is `decoderLogvar`). */
export function decode(tf: Tf, net: VaeNetwork, z: tfc.Tensor2D): tfc.Tensor2D {
  const g = net.architecture.hidden > 0 ? dense(tf, z, net, 'dec', true) : z;
  return dense(tf, g, net, 'out', false);
}

function decoderLogvar(tf: Tf, net: VaeNetwork): tfc.Tensor {
  const v = net.architecture.gaussianVariance;
  return v === 'learned' ? get(net, 'out.logvar') : tf.scalar(Math.log(v));
}

/** Per-example log p(x | decoder output), summed over dimensions. */
export function logLikelihood(tf: Tf, net: VaeNetwork, x: tfc.Tensor2D, out: tfc.Tensor2D): tfc.Tensor1D {
  if (net.architecture.likelihood === 'bernoulli') {
    // x log sigma(l) + (1 - x) log(1 - sigma(l)) = x l - softplus(l), finite for any l.
    return tf.sum(tf.sub(tf.mul(x, out), tf.softplus(out)), 1) as tfc.Tensor1D;
  }
  const logvar = decoderLogvar(tf, net);
  const sq = tf.div(tf.square(tf.sub(x, out)), tf.exp(logvar));
  return tf.mul(-0.5, tf.sum(tf.add(tf.add(sq, logvar), Math.log(2 * Math.PI)), 1)) as tfc.Tensor1D;
}

/** KL(q(z|x) || N(0, I)) in closed form, per example. */
export function klTerm(tf: Tf, mu: tfc.Tensor2D, logvar: tfc.Tensor2D): tfc.Tensor1D {
  return tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), tf.add(logvar, 1)), 1)) as tfc.Tensor1D;
}

/** The single-sample ELBO with z = mu + exp(logvar / 2) * eps for the given noise. */
export function elboTerms(tf: Tf, net: VaeNetwork, x: tfc.Tensor2D, eps: tfc.Tensor2D): ElboTensors {
  const { mu, logvar } = encode(tf, net, x);
  const z = tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logvar)), eps)) as tfc.Tensor2D;
  const reconstruction = logLikelihood(tf, net, x, decode(tf, net, z));
  const kl = klTerm(tf, mu, logvar);
  return { elbo: tf.sub(reconstruction, kl) as tfc.Tensor1D, reconstruction, kl };
}

/** One Adam step on -mean ELBO, its cost (-mean ELBO before the step) left on the device until it is reported. */
export function trainStepOnDevice(tf: Tf, net: VaeNetwork, x: tfc.Tensor2D, eps: tfc.Tensor2D): tfc.Scalar {
  return net.optimizer.minimize(() => tf.neg(tf.mean(elboTerms(tf, net, x, eps).elbo)) as tfc.Scalar);
}

/** One Adam step on -mean ELBO; returns the batch's mean ELBO before the step. Reading the loss back
 *  synchronises with the device, so a timed step includes all of its work on every backend. */
export async function trainStep(tf: Tf, net: VaeNetwork, x: tfc.Tensor2D, eps: tfc.Tensor2D): Promise<number> {
  const cost = trainStepOnDevice(tf, net, x, eps);
  const value = (await cost.data())[0];
  cost.dispose();
  return -value;
}

/** Standard-normal noise for `rows` examples from a seeded stream. */
export { standardNormals as noise } from '../../seeds.js';

/** A float64 copy of every parameter, for the oracle. */
export async function readParameters(net: VaeNetwork): Promise<ParameterValues> {
  const out: Record<string, Float64Array> = {};
  for (const [name, v] of net.params) out[name] = Float64Array.from(await v.data());
  return out;
}

/** Per-example ELBO terms of a batch read back to the host. */
export async function evaluateElbo(
  tf: Tf,
  net: VaeNetwork,
  x: Float32Array,
  eps: Float32Array,
  rows: number,
): Promise<{ elbo: Float32Array; reconstruction: Float32Array; kl: Float32Array }> {
  const xt = tf.tensor2d(x, [rows, net.architecture.input]);
  const et = tf.tensor2d(eps, [rows, net.architecture.latent]);
  const terms = tf.tidy(() => {
    const t = elboTerms(tf, net, xt, et);
    return [t.elbo, t.reconstruction, t.kl];
  });
  const [elbo, reconstruction, kl] = await Promise.all(terms.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([xt, et, ...terms]);
  return { elbo, reconstruction, kl };
}

/** The IWAE bound per example with k samples each: log mean_i p(x, z_i) / q(z_i | x). */
export async function evaluateIwae(
  tf: Tf,
  net: VaeNetwork,
  x: Float32Array,
  rows: number,
  k: number,
  rng: Rng,
): Promise<Float32Array> {
  const { input, latent } = net.architecture;
  const xt = tf.tensor2d(x, [rows, input]);
  const et = tf.tensor3d(noise(rng, k * rows, latent), [k, rows, latent]);
  const bound = tf.tidy(() => {
    const { mu, logvar } = encode(tf, net, xt);
    const sigma = tf.exp(tf.mul(0.5, logvar));
    const z = tf.add(mu, tf.mul(sigma, et)) as tfc.Tensor3D; // [k, rows, latent]
    const zFlat = tf.reshape(z, [k * rows, latent]) as tfc.Tensor2D;
    const xTiled = tf.reshape(tf.tile(tf.expandDims(xt, 0), [k, 1, 1]), [k * rows, input]) as tfc.Tensor2D;
    const logPxz = tf.reshape(logLikelihood(tf, net, xTiled, decode(tf, net, zFlat)), [k, rows]);
    const halfLog2Pi = 0.5 * Math.log(2 * Math.PI);
    const logPz = tf.neg(tf.sum(tf.add(tf.mul(0.5, tf.square(z)), halfLog2Pi), 2));
    const logQz = tf.neg(tf.sum(tf.add(tf.add(tf.mul(0.5, tf.square(et)), tf.mul(0.5, logvar)), halfLog2Pi), 2));
    const logW = tf.sub(tf.add(logPxz, logPz), logQz);
    return tf.sub(tf.logSumExp(logW, 0), Math.log(k));
  });
  const out = (await bound.data()) as Float32Array;
  tf.dispose([xt, et, bound]);
  return out;
}
