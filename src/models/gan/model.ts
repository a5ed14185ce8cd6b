// The GAN on tfjs: generator and discriminator MLPs, alternating Adam updates in PyTorch's arithmetic
// (./adam.ts; k discriminator steps per generator step), the generator loss in the minimax or the
// non-saturating form, and every log of a probability computed from logits (log D = -softplus(-l),
// log(1 - D) = -softplus(l)).
import type * as tfc from '@tensorflow/tfjs';
import { Rng } from '../../seeds.js';
import type { Tf } from '../../types.js';
import { TorchAdam } from '../../optim/torch-adam.js';
import { networkLayers, type GanArchitecture } from './architecture.js';
import type { ParameterValues } from './oracle-network.js';

export type GeneratorLoss = 'nonsaturating' | 'minimax';

export interface GanTraining {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  /** Discriminator updates per generator update. */
  readonly dSteps: number;
  readonly generatorLoss: GeneratorLoss;
}

/** The anchor set-up: Adam 1e-3 with betas (0.5, 0.999), one D step per G step, non-saturating. */
/** PyTorch's default (tfjs's would be 1e-7), so that both take the same steps. */
export const ADAM_EPSILON = 1e-8;

export const ANCHOR_TRAINING: GanTraining = {
  learningRate: 1e-3,
  beta1: 0.5,
  beta2: 0.999,
  dSteps: 1,
  generatorLoss: 'nonsaturating',
};

export interface GanNetwork {
  readonly architecture: GanArchitecture;
  readonly training: GanTraining;
  readonly params: ReadonlyMap<string, tfc.Variable>;
  readonly gOptimizer: TorchAdam;
  readonly dOptimizer: TorchAdam;
  dispose(): void;
}

/**
 * Glorot-uniform weights (bound sqrt(6 / (fan_in + fan_out))) from the init seed and zero biases: what
 * the bundled PyTorch GAN builds (xavier_uniform_, zeros_) and docs/protocol.md asks of `init`, so that
 * both train from one distribution of starting points. The values are rounded to float32 here, so
 * that those handed to another implementation (fit --twin) are the ones we train.
 */
export function initialParameters(architecture: GanArchitecture, initSeed: number): ParameterValues {
  const rng = new Rng(initSeed);
  const out: Record<string, Float64Array> = {};
  for (const net of ['g', 'd'] as const) {
    for (const layer of networkLayers(architecture, net)) {
      const bound = Math.sqrt(6 / (layer.inputs + layer.outputs));
      const w = Float32Array.from({ length: layer.inputs * layer.outputs }, () => (2 * rng.uniform() - 1) * bound);
      out[`${layer.name}.w`] = Float64Array.from(w);
      out[`${layer.name}.b`] = new Float64Array(layer.outputs);
    }
  }
  return out;
}

export function createGan(
  tf: Tf,
  architecture: GanArchitecture,
  initSeed: number,
  training: GanTraining = ANCHOR_TRAINING,
): GanNetwork {
  return createGanFrom(tf, architecture, initialParameters(architecture, initSeed), training);
}

/** The networks with the given values (weights [inputs, outputs]) and fresh Adam states. */
export function createGanFrom(
  tf: Tf,
  architecture: GanArchitecture,
  values: ParameterValues,
  training: GanTraining = ANCHOR_TRAINING,
): GanNetwork {
  const params = new Map<string, tfc.Variable>();
  for (const net of ['g', 'd'] as const) {
    for (const layer of networkLayers(architecture, net)) {
      for (const [name, shape] of [
        [`${layer.name}.w`, [layer.inputs, layer.outputs]],
        [`${layer.name}.b`, [layer.outputs]],
      ] as const) {
        const given = values[name];
        const size = shape.reduce((a, b) => a * b, 1);
        if (!given || given.length !== size)
          throw new Error(
            `GAN parameters: ${name} needs ${size} values (shape ${shape.join(' x ')}), got ${given?.length ?? 'none'}`,
          );
        const initial = tf.tensor(Float32Array.from(given), [...shape]);
        params.set(name, tf.variable(initial, true));
        initial.dispose();
      }
    }
  }
  const adam = (which: 'g' | 'd') => {
    const variables = networkLayers(architecture, which).flatMap((l) => [
      params.get(`${l.name}.w`)!,
      params.get(`${l.name}.b`)!,
    ]);
    return new TorchAdam(tf, variables, { ...training, epsilon: ADAM_EPSILON });
  };
  const gOptimizer = adam('g');
  const dOptimizer = adam('d');
  return {
    architecture,
    training,
    params,
    gOptimizer,
    dOptimizer,
    dispose() {
      gOptimizer.dispose();
      dOptimizer.dispose();
      for (const v of params.values()) v.dispose();
    },
  };
}

function forward(tf: Tf, net: GanNetwork, which: 'g' | 'd', x: tfc.Tensor2D): tfc.Tensor2D {
  let h = x;
  for (const layer of networkLayers(net.architecture, which)) {
    h = tf.fused.matMul({
      a: h,
      b: net.params.get(`${layer.name}.w`)! as tfc.Tensor2D,
      bias: net.params.get(`${layer.name}.b`)!,
      activation: layer.relu ? 'relu' : 'linear',
    }) as tfc.Tensor2D;
  }
  return h;
}

export function generate(tf: Tf, net: GanNetwork, z: tfc.Tensor2D): tfc.Tensor2D {
  return forward(tf, net, 'g', z);
}

/** The discriminator's logit per row, shape [rows]. */
export function discriminatorLogits(tf: Tf, net: GanNetwork, x: tfc.Tensor2D): tfc.Tensor1D {
  return tf.reshape(forward(tf, net, 'd', x), [-1]) as tfc.Tensor1D;
}

/** V(D, G) = mean log D(x) + mean log(1 - D(G(z))). */
export function valueTensor(tf: Tf, realLogits: tfc.Tensor1D, fakeLogits: tfc.Tensor1D): tfc.Scalar {
  return tf.add(
    tf.mean(tf.neg(tf.softplus(tf.neg(realLogits)))),
    tf.mean(tf.neg(tf.softplus(fakeLogits))),
  ) as tfc.Scalar;
}

export function generatorLossTensor(tf: Tf, fakeLogits: tfc.Tensor1D, form: GeneratorLoss): tfc.Scalar {
  return (
    form === 'minimax' ? tf.mean(tf.neg(tf.softplus(fakeLogits))) : tf.mean(tf.softplus(tf.neg(fakeLogits)))
  ) as tfc.Scalar;
}

/** One discriminator update: minimise -V on a real batch and a batch of generated samples; V before the update. */
export function discriminatorStep(tf: Tf, net: GanNetwork, xReal: tfc.Tensor2D, z: tfc.Tensor2D): tfc.Scalar {
  const fake = tf.tidy(() => generate(tf, net, z));
  const cost = net.dOptimizer.minimize(
    () =>
      tf.neg(valueTensor(tf, discriminatorLogits(tf, net, xReal), discriminatorLogits(tf, net, fake))) as tfc.Scalar,
  );
  fake.dispose();
  const value = tf.neg(cost) as tfc.Scalar;
  cost.dispose();
  return value;
}

/** One generator update on the chosen loss. Returns the loss before the update. */
export function generatorStep(tf: Tf, net: GanNetwork, z: tfc.Tensor2D): tfc.Scalar {
  return net.gOptimizer.minimize(() =>
    generatorLossTensor(tf, discriminatorLogits(tf, net, generate(tf, net, z)), net.training.generatorLoss),
  );
}

/** dSteps discriminator updates (one real batch and noise batch each) then one generator update;
 *  reads V and the generator loss back, which synchronises with the device. */
export async function trainStep(
  tf: Tf,
  net: GanNetwork,
  realBatches: readonly tfc.Tensor2D[],
  noiseBatches: readonly tfc.Tensor2D[],
): Promise<{ value: number; generatorLoss: number }> {
  let value: tfc.Scalar | undefined;
  for (let k = 0; k < net.training.dSteps; k++) {
    value?.dispose();
    value = discriminatorStep(tf, net, realBatches[k], noiseBatches[k]);
  }
  const gLoss = generatorStep(tf, net, noiseBatches[net.training.dSteps]);
  const [v, g] = await Promise.all([value!.data(), gLoss.data()]);
  tf.dispose([value!, gLoss]);
  return { value: v[0], generatorLoss: g[0] };
}

export { standardNormals as noise } from '../../seeds.js';

export async function readParameters(net: GanNetwork): Promise<ParameterValues> {
  const out: Record<string, Float64Array> = {};
  for (const [name, v] of net.params) out[name] = Float64Array.from(await v.data());
  return out;
}

export interface Evaluation {
  readonly value: number;
  readonly nonSaturatingLoss: number;
  readonly minimaxLoss: number;
  readonly meanDReal: number;
  readonly meanDFake: number;
  readonly samples: Float32Array;
}

/** V, both generator losses and D's mean output on real and generated samples, read back. */
export async function evaluate(
  tf: Tf,
  net: GanNetwork,
  real: Float32Array,
  z: Float32Array,
  rows: number,
): Promise<Evaluation> {
  const a = net.architecture;
  const xr = tf.tensor2d(real, [rows, a.dataDim]);
  const zt = tf.tensor2d(z, [rows, a.noiseDim]);
  const outs = tf.tidy(() => {
    const fake = generate(tf, net, zt);
    const lr = discriminatorLogits(tf, net, xr);
    const lf = discriminatorLogits(tf, net, fake);
    return [
      valueTensor(tf, lr, lf),
      generatorLossTensor(tf, lf, 'nonsaturating'),
      generatorLossTensor(tf, lf, 'minimax'),
      tf.mean(tf.sigmoid(lr)),
      tf.mean(tf.sigmoid(lf)),
      fake,
    ];
  });
  const values = await Promise.all(outs.map((t) => t.data()));
  tf.dispose([xr, zt, ...outs]);
  return {
    value: values[0][0],
    nonSaturatingLoss: values[1][0],
    minimaxLoss: values[2][0],
    meanDReal: values[3][0],
    meanDFake: values[4][0],
    samples: values[5] as Float32Array,
  };
}
