// The GAN on tfjs: generator and discriminator MLPs, alternating Adam updates in PyTorch's arithmetic
// (src/optim/torch-adam.ts; k discriminator steps per generator step), the generator loss in the minimax or
// the non-saturating form, and every log of a probability computed from logits (log D = -softplus(-l),
// log(1 - D) = -softplus(l)).
import type * as tfc from '@tensorflow/tfjs';
import { Rng } from '../../seeds.js';
import type { Tf } from '../../types.js';
import { addBias, linearForTraining, matMulForTraining, reluWithoutCast } from '../../backends/training-kernels.js';
import { FlatAdam, type StepOptimizer } from '../../optim/flat-adam.js';
import { TorchAdam } from '../../optim/torch-adam.js';
import { networkLayers, type GanArchitecture } from './architecture.js';
import type { ParameterValues } from './oracle-network.js';

export type GeneratorLoss = 'nonsaturating' | 'minimax';

/**
 * How a step dispatches its arithmetic. 'per-variable': tfjs's ops as they come, and Adam variable by variable
 * (13 kernels each). 'flat': one Adam kernel per network (src/optim/flat-adam.ts), and the step's graph without
 * kernels that compute nothing (D's loss without its two double negations, ReLU's gradient without tfjs's cast
 * of a float32 step to float32) and with the layers of src/backends/training-kernels.ts (no transpose by
 * tfjs-wasm's slow Transpose, no gradient backpropagation does not need): the same float32 operations in the
 * same order, so the same parameters bit for bit (tests/models/gan/flat-step.test.ts), in 139 kernels per step
 * instead of 365.
 */
export type GanStepForm = 'per-variable' | 'flat';

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
  readonly stepForm: GanStepForm;
  readonly gOptimizer: StepOptimizer;
  readonly dOptimizer: StepOptimizer;
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
  stepForm: GanStepForm = 'per-variable',
): GanNetwork {
  return createGanFrom(tf, architecture, initialParameters(architecture, initSeed), training, stepForm);
}

/** The networks with the given values (weights [inputs, outputs]) and fresh Adam states. */
export function createGanFrom(
  tf: Tf,
  architecture: GanArchitecture,
  values: ParameterValues,
  training: GanTraining = ANCHOR_TRAINING,
  stepForm: GanStepForm = 'per-variable',
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
    const settings = { ...training, epsilon: ADAM_EPSILON };
    return stepForm === 'flat' ? new FlatAdam(tf, variables, settings) : new TorchAdam(tf, variables, settings);
  };
  const gOptimizer = adam('g');
  const dOptimizer = adam('d');
  return {
    architecture,
    training,
    params,
    stepForm,
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
  // Under a gradient tape tfjs splits a fused ReLU layer into matMul, add and relu (its shouldFuse) and keeps a
  // linear one fused; the flat form does the same with the kernels of training-kernels.ts (the same values,
  // gradients that dispatch and copy less).
  const split = net.stepForm === 'flat' && tf.engine().state.gradientDepth > 0;
  let h = x;
  for (const layer of networkLayers(net.architecture, which)) {
    const w = net.params.get(`${layer.name}.w`)! as tfc.Tensor2D;
    const bias = net.params.get(`${layer.name}.b`)! as tfc.Tensor1D;
    if (split)
      h = layer.relu
        ? reluWithoutCast(tf, addBias(tf, matMulForTraining(tf, h, w), bias))
        : linearForTraining(tf, h, w, bias);
    else h = tf.fused.matMul({ a: h, b: w, bias, activation: layer.relu ? 'relu' : 'linear' }) as tfc.Tensor2D;
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

/** -V, which D minimises. The flat form drops the double negations: -(mean(-a) + mean(-b)) is mean(a) +
 *  mean(b) exactly in float32 (negation is exact and rounding symmetric), and so are its gradients. */
function discriminatorCost(tf: Tf, net: GanNetwork, realLogits: tfc.Tensor1D, fakeLogits: tfc.Tensor1D): tfc.Scalar {
  if (net.stepForm === 'per-variable') return tf.neg(valueTensor(tf, realLogits, fakeLogits)) as tfc.Scalar;
  return tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits))) as tfc.Scalar;
}

/** One discriminator update: minimise -V on a real batch and a batch of generated samples; V before the update. */
export function discriminatorStep(tf: Tf, net: GanNetwork, xReal: tfc.Tensor2D, z: tfc.Tensor2D): tfc.Scalar {
  const fake = tf.tidy(() => generate(tf, net, z));
  const cost = net.dOptimizer.minimize(() =>
    discriminatorCost(tf, net, discriminatorLogits(tf, net, xReal), discriminatorLogits(tf, net, fake)),
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
