// Benchmark workloads of the VAE on the committed Fashion-MNIST subset (the same images on every
// machine). Every row carries the ELBO: the backend's mean ELBO on a fixed batch with fixed noise,
// checked against the float64 network and formulas recomputed from the trained parameters.
import type * as tfc from '@tensorflow/tfjs';
import { restoreTfjsMatMul } from '../../backends/wasm-transpose-first.js';
import { loadFashionMnistFixture } from '../../data/fashion-mnist.js';
import { deriveSeed, Rng, type Seeds } from '../../seeds.js';
import type {
  BackendRuntime,
  Dataset,
  ObjectiveCheck,
  PreparedWorkload,
  SizeParams,
  Tf,
  WorkloadSpec,
} from '../../types.js';
import { forwardFlops, trainingFlops } from '../dense-flops.js';
import { denseLayers, STANDARD_ARCHITECTURE, type VaeArchitecture } from './architecture.js';
import { DeviceNormals } from '../device-normals.js';
import {
  createVae,
  decode,
  type AdamImplementation,
  encode,
  evaluateElbo,
  noise,
  readParameters,
  trainStep,
  trainStepOnDevice,
  type VaeNetwork,
} from './model.js';
import { oracleElbo } from './oracle-network.js';

/** Measured on wasm (docs/backends.md): what a training step does besides its products. */
const TRAIN_STEP_OVERHEAD =
  'besides the products: the batch and its noise uploaded from the host, ' +
  'every elementwise op and Adam update its own kernel ' +
  '(kernels_per_run), and the loss read back every step';

/** Examples in the check batch: enough for a stable mean, few enough for the float64 network. */
const CHECK_ROWS = 64;

export function architectureOf(size: SizeParams): VaeArchitecture {
  const batch = size.batch;
  if (!Number.isInteger(batch) || batch < 1)
    throw new Error(`VAE workloads need a size { batch } (optionally hidden, latent), got ${JSON.stringify(size)}`);
  return {
    ...STANDARD_ARCHITECTURE,
    hidden: size.hidden ?? STANDARD_ARCHITECTURE.hidden,
    latent: size.latent ?? STANDARD_ARCHITECTURE.latent,
  };
}

/** Rows [start, start + rows) of the set, wrapping around, as float32. */
function batchAt(data: Dataset, start: number, rows: number): Float32Array {
  const out = new Float32Array(rows * data.cols);
  for (let r = 0; r < rows; r++) {
    const src = ((start + r) % data.rows) * data.cols;
    for (let j = 0; j < data.cols; j++) out[r * data.cols + j] = data.x[src + j];
  }
  return out;
}

/** The backend's mean ELBO on the first test images with seeded noise, against the float64 recomputation. */
export async function checkElbo(
  tf: Tf,
  net: VaeNetwork,
  test: Dataset,
  seeds: Seeds,
  backend: BackendRuntime,
): Promise<ObjectiveCheck> {
  const a = net.architecture;
  const rows = Math.min(CHECK_ROWS, test.rows);
  const x = batchAt(test, 0, rows);
  const eps = noise(new Rng(deriveSeed(seeds.sampling, 'check')), rows, a.latent);
  const model = await evaluateElbo(tf, net, x, eps, rows);
  const oracle = oracleElbo(a, await readParameters(net), x, eps, rows);
  let modelValue = 0;
  let oracleValue = 0;
  for (let i = 0; i < rows; i++) {
    modelValue += model.elbo[i] / rows;
    oracleValue += oracle[i].elbo / rows;
  }
  const relError = Math.abs(modelValue - oracleValue) / Math.abs(oracleValue);
  const passed = Number.isFinite(modelValue) && relError <= backend.relativeTolerance;
  return {
    objectiveName: 'ELBO',
    modelValue,
    oracleValue,
    relError,
    tolerance: backend.relativeTolerance,
    passed,
    note: passed ? undefined : `mean ELBO of ${rows} test images: backend ${modelValue}, float64 ${oracleValue}`,
  };
}

interface Setup {
  readonly net: VaeNetwork;
  readonly train: Dataset;
  readonly test: Dataset;
  readonly batch: number;
  readonly noiseRng: Rng;
}

function setUp(tf: Tf, size: SizeParams, seeds: Seeds, adam: AdamImplementation = 'torch'): Setup {
  const { train, test } = loadFashionMnistFixture();
  const architecture = architectureOf(size);
  return {
    net: createVae(tf, architecture, seeds.init, undefined, adam),
    train,
    test,
    batch: size.batch,
    noiseRng: new Rng(deriveSeed(seeds.sampling, 'noise')),
  };
}

function trainStepWorkload(
  name: string,
  description: string,
  before?: (tf: Tf) => void,
  adam: AdamImplementation = 'torch',
): WorkloadSpec {
  return {
    name,
    description,
    async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
      before?.(tf);
      const s = setUp(tf, size, seeds, adam);
      const { latent, input } = s.net.architecture;
      let cursor = 0;
      const layers = denseLayers(s.net.architecture);
      return {
        workPerRun: s.batch,
        workUnit: 'samples/s',
        flopsPerRun: trainingFlops(s.batch, layers.all, layers.fromData),
        heldBackBy: TRAIN_STEP_OVERHEAD,
        async run() {
          // The batch and its noise are assembled on the host and uploaded inside the timed step,
          // as a training loop does.
          const xt = tf.tensor2d(batchAt(s.train, cursor, s.batch), [s.batch, input]);
          const et = tf.tensor2d(noise(s.noiseRng, s.batch, latent), [s.batch, latent]);
          cursor = (cursor + s.batch) % s.train.rows;
          await trainStep(tf, s.net, xt, et);
          tf.dispose([xt, et]);
        },
        check: () => checkElbo(tf, s.net, s.test, seeds, backend),
        dispose: () => s.net.dispose(),
      };
    },
  };
}

/** Steps per run of the on-device workload unless the size says `steps`: the loss is read back once per run. */
const DEVICE_STEPS = 8;

/**
 * Training as a GPU wants it: the training images uploaded once, each batch a slice of them, the noise
 * drawn on the device (device-normals.ts), one Adam update over all parameters, and the losses summed
 * on the device and read back once per run of `steps` steps. Kernels per step: kernels_per_run / steps.
 */
const onDeviceWorkload: WorkloadSpec = {
  name: 'train-steps-on-device',
  description:
    `${DEVICE_STEPS} Adam steps per run (size "steps" for another count) ` +
    `with nothing crossing to or from the host but one summed loss: images ` +
    `kept on the device, noise drawn there from a seeded generator, one ` +
    `flat Adam update; kernels per step = kernels_per_run / steps`,
  async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
    const s = setUp(tf, size, seeds, 'flat');
    const steps = size.steps ?? DEVICE_STEPS;
    if (!Number.isInteger(steps) || steps < 1)
      throw new Error(`train-steps-on-device: "steps" must be a positive integer, got ${steps}`);
    const { latent, input } = s.net.architecture;
    // Whole batches only, so that every batch is one slice.
    const batches = Math.floor(s.train.rows / s.batch);
    if (batches < 1)
      throw new Error(`train-steps-on-device: batch ${s.batch} is larger than the ${s.train.rows} training images`);
    const images = tf.tensor2d(Float32Array.from(s.train.x.subarray(0, batches * s.batch * input)), [
      batches * s.batch,
      input,
    ]);
    const eps = new DeviceNormals(tf, deriveSeed(seeds.sampling, 'device-noise'), [s.batch, latent]);
    let next = 0;
    const layers = denseLayers(s.net.architecture);
    return {
      workPerRun: steps * s.batch,
      workUnit: 'samples/s',
      flopsPerRun: steps * trainingFlops(s.batch, layers.all, layers.fromData),
      heldBackBy:
        'besides the products: every elementwise op its own kernel ' +
        '(kernels_per_run / steps per step); nothing uploaded, one read-back ' +
        'per run',
      async run() {
        let total: tfc.Scalar | undefined;
        for (let k = 0; k < steps; k++) {
          const x = tf.slice(images, [next * s.batch, 0], [s.batch, input]) as tfc.Tensor2D;
          const e = eps.next();
          next = (next + 1) % batches;
          const cost = trainStepOnDevice(tf, s.net, x, e);
          const sum = total ? tf.add(total, cost) : cost;
          if (total) tf.dispose([total, cost]);
          total = sum as tfc.Scalar;
          tf.dispose([x, e]);
        }
        await total!.data();
        total!.dispose();
      },
      check: () => checkElbo(tf, s.net, s.test, seeds, backend),
      dispose() {
        images.dispose();
        eps.dispose();
        s.net.dispose();
      },
    };
  },
};

const encodeWorkload: WorkloadSpec = {
  name: 'encode',
  description: 'q(z|x): mu and log-variance of a batch of images, read back',
  async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
    const s = setUp(tf, size, seeds);
    const x = tf.tensor2d(batchAt(s.train, 0, s.batch), [s.batch, s.net.architecture.input]);
    return {
      workPerRun: s.batch,
      workUnit: 'samples/s',
      flopsPerRun: forwardFlops(s.batch, denseLayers(s.net.architecture).encoder),
      heldBackBy:
        'one forward pass: the read-back of mu and log-variance and the per-op ' +
        'dispatch are a large share of so little work',
      async run() {
        const out = tf.tidy(() => {
          const { mu, logvar } = encode(tf, s.net, x);
          return [mu, logvar];
        });
        await Promise.all(out.map((t) => t.data()));
        tf.dispose(out);
      },
      check: () => checkElbo(tf, s.net, s.test, seeds, backend),
      dispose() {
        x.dispose();
        s.net.dispose();
      },
    };
  },
};

const decodeWorkload: WorkloadSpec = {
  name: 'decode',
  description: 'p(x|z): pixel probabilities sigma(logits) for a batch of latent codes, read back',
  async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
    const s = setUp(tf, size, seeds);
    const z = tf.tensor2d(noise(s.noiseRng, s.batch, s.net.architecture.latent), [s.batch, s.net.architecture.latent]);
    return {
      workPerRun: s.batch,
      workUnit: 'samples/s',
      flopsPerRun: forwardFlops(s.batch, denseLayers(s.net.architecture).decoder),
      heldBackBy:
        'one forward pass and the read-back of a batch of 784-pixel images: transfer and per-op dispatch, not products',
      async run() {
        const p = tf.tidy(() => tf.sigmoid(decode(tf, s.net, z)));
        await p.data();
        p.dispose();
      },
      check: () => checkElbo(tf, s.net, s.test, seeds, backend),
      dispose() {
        z.dispose();
        s.net.dispose();
      },
    };
  },
};

export const VAE_WORKLOADS: readonly WorkloadSpec[] = [
  trainStepWorkload(
    'train-step',
    'one Adam step on -ELBO (784-400-20-400-784 Bernoulli by default): forward, backward, update, loss read back',
  ),
  trainStepWorkload(
    'train-step-tfjs-matmul',
    "the same step with tfjs's own matMul kernels (on wasm: transposed " +
      "operands on tfjs's slow path), to show what the transpose-first " +
      'kernels are worth',
    restoreTfjsMatMul,
  ),
  trainStepWorkload(
    'train-step-flat-adam',
    'the same step with one Adam update over all parameters as a single ' +
      'vector (76 compute kernels per step on wasm instead of 205; the same ' +
      'arithmetic), for devices where each kernel dispatch costs more than ' +
      'its work',
    undefined,
    'flat',
  ),
  onDeviceWorkload,
  encodeWorkload,
  decodeWorkload,
];
