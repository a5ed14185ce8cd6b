// Benchmark workloads of the GAN on the 8-Gaussians ring with the anchor networks (3 x 128 ReLU).
// Every row carries V(D, G): the backend's value on fixed real samples and noise, checked against the
// float64 networks and formula recomputed from the parameters.
import type * as tfc from '@tensorflow/tfjs';
import { deriveSeed, Rng, type Seeds } from '../../seeds.js';
import { loadFashionMnistFixture } from '../../data/fashion-mnist.js';
import type {
  BackendRuntime,
  Dataset,
  ObjectiveCheck,
  PreparedWorkload,
  SizeParams,
  Tf,
  WorkloadSpec,
} from '../../types.js';
import { forwardFlops } from '../dense-flops.js';
import { ANCHOR_ARCHITECTURE, networkLayers, type GanArchitecture } from './architecture.js';
import { drawRows, mixtureSample, RING8 } from './data.js';
import { DeviceNormals } from '../device-normals.js';
import {
  createGan,
  discriminatorStep,
  evaluate,
  generate,
  generatorStep,
  noise,
  readParameters,
  trainStep,
  type GanNetwork,
  type GanStepForm,
} from './model.js';
import { valueFromLogits } from './objective.js';
import { oracleForward } from './oracle-network.js';

/** Real samples and noise vectors in the value check. */
const CHECK_ROWS = 256;
/** Real samples the train-step workload draws its batches from. */
const POOL_ROWS = 65536;

/** Where a workload's real samples come from, and the networks' default shape for them. */
export interface RealData {
  readonly label: string;
  pool(seeds: Seeds): Dataset;
  readonly defaults: GanArchitecture;
}

export const RING_DATA: RealData = {
  label: 'the 8-Gaussians ring',
  pool: (seeds) => mixtureSample(RING8, POOL_ROWS, new Rng(seeds.data), 'ring8'),
  defaults: ANCHOR_ARCHITECTURE,
};

/** Fashion-MNIST images (the committed subset: the same images on every machine), 784 dimensions. */
export const IMAGE_DATA: RealData = {
  label: 'Fashion-MNIST images',
  pool: () => loadFashionMnistFixture().train,
  defaults: { dataDim: 784, noiseDim: 64, hidden: 256, layers: 2 },
};

export function architectureOf(size: SizeParams, data: RealData): GanArchitecture {
  if (!Number.isInteger(size.batch) || size.batch < 1)
    throw new Error(
      `GAN workloads need a size { batch } (optionally hidden, layers, noise), got ${JSON.stringify(size)}`,
    );
  const d = data.defaults;
  return { ...d, hidden: size.hidden ?? d.hidden, layers: size.layers ?? d.layers, noiseDim: size.noise ?? d.noiseDim };
}

/** The backend's V on fixed real samples and noise against the float64 recomputation. */
export async function checkValue(
  tf: Tf,
  net: GanNetwork,
  pool: Dataset,
  seeds: Seeds,
  backend: BackendRuntime,
): Promise<ObjectiveCheck> {
  const a = net.architecture;
  const rng = new Rng(deriveSeed(seeds.sampling, 'check'));
  const real = drawRows(pool, CHECK_ROWS, rng);
  const z = noise(rng, CHECK_ROWS, a.noiseDim);
  const model = await evaluate(tf, net, real, z, CHECK_ROWS);
  const p = await readParameters(net);
  const fake = oracleForward(a, 'g', p, z, CHECK_ROWS);
  const oracleValue = valueFromLogits(
    oracleForward(a, 'd', p, real, CHECK_ROWS),
    oracleForward(a, 'd', p, fake, CHECK_ROWS),
  );
  const relError = Math.abs(model.value - oracleValue) / Math.abs(oracleValue);
  const passed = Number.isFinite(model.value) && relError <= backend.relativeTolerance;
  return {
    objectiveName: 'V(D,G)',
    modelValue: model.value,
    oracleValue,
    relError,
    tolerance: backend.relativeTolerance,
    passed,
    note: passed ? undefined : `V on ${CHECK_ROWS} real samples: backend ${model.value}, float64 ${oracleValue}`,
  };
}

/** One D update (G forward, D on real and fake, D's backward on both) and one G update (G and D forward,
 *  backward through D's inputs and G): 4 Fg - Fg1 + 8 Fd - 2 Fd1 (dense-flops.ts; F1: the first layer). */
export function stepFlops(a: GanArchitecture, batch: number): number {
  const g = networkLayers(a, 'g');
  const d = networkLayers(a, 'd');
  return (
    4 * forwardFlops(batch, g) -
    forwardFlops(batch, g.slice(0, 1)) +
    8 * forwardFlops(batch, d) -
    2 * forwardFlops(batch, d.slice(0, 1))
  );
}

/** What holds a host step back from its ceiling, by its form. */
const HOST_STEP_HELD_BACK: Record<GanStepForm, string> = {
  'per-variable':
    'besides the products: real batches and noise drawn on the host and ' +
    'uploaded every step, one kernel per elementwise op and per Adam ' +
    'variable, V and the loss read back every step; the layers are small ' +
    '(hidden 128), so dispatch dominates',
  flat:
    'besides the products: real batches and noise drawn on the host and ' +
    'uploaded every step, one kernel per elementwise op of the forward and ' +
    'backward passes, V and the loss read back every step; the layers are ' +
    'small (hidden 128)',
};

function trainStepWorkload(
  name: string,
  data: RealData,
  stepForm: GanStepForm = 'per-variable',
  how = '',
): WorkloadSpec {
  return {
    name,
    description:
      `one discriminator and one generator Adam update (non-saturating) on ` +
      `${data.label}, V and the loss read back${how}`,
    async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
      const a = architectureOf(size, data);
      const batch = size.batch;
      const net = createGan(tf, a, seeds.init, undefined, stepForm);
      const pool = data.pool(seeds);
      const rng = new Rng(deriveSeed(seeds.sampling, 'batches'));
      return {
        workPerRun: 1,
        workUnit: 'iterations/s',
        flopsPerRun: stepFlops(a, batch),
        heldBackBy: HOST_STEP_HELD_BACK[stepForm],
        async run() {
          // Batches are drawn and uploaded inside the timed step, as a training loop does.
          const real = tf.tensor2d(drawRows(pool, batch, rng), [batch, a.dataDim]);
          const zs = [0, 1].map(() => tf.tensor2d(noise(rng, batch, a.noiseDim), [batch, a.noiseDim]));
          await trainStep(tf, net, [real], zs);
          tf.dispose([real, ...zs]);
        },
        check: () => checkValue(tf, net, pool, seeds, backend),
        dispose: () => net.dispose(),
      };
    },
  };
}

/** Steps per run of the on-device workload unless the size says `steps`: V and the loss are read back once per run. */
const DEVICE_STEPS = 8;

/** The pool uploaded once in a seeded permutation: slices of it are batches drawn without replacement. */
function shuffledPool(tf: Tf, pool: Dataset, batch: number, dataDim: number, seeds: Seeds) {
  const batches = Math.floor(pool.rows / batch);
  if (batches < 1)
    throw new Error(`train-steps-on-device: batch ${batch} is larger than the pool of ${pool.rows} real samples`);
  const order = new Rng(deriveSeed(seeds.sampling, 'device-batches'));
  const rows = Array.from({ length: pool.rows }, (_, i) => i);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = order.int(i + 1);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const shuffled = new Float32Array(batches * batch * dataDim);
  for (let r = 0; r < batches * batch; r++)
    for (let j = 0; j < dataDim; j++) shuffled[r * dataDim + j] = pool.x[rows[r] * pool.cols + j];
  return { real: tf.tensor2d(shuffled, [batches * batch, dataDim]), batches };
}

/** `steps` training steps on the device; V and the generator loss summed there, one scalar to read back. */
function deviceSteps(tf: Tf, net: GanNetwork, steps: number, nextBatch: () => tfc.Tensor2D, z: DeviceNormals) {
  let total: tfc.Scalar | undefined;
  for (let k = 0; k < steps; k++) {
    let value: tfc.Scalar | undefined;
    for (let d = 0; d < net.training.dSteps; d++) {
      const x = nextBatch();
      const zd = z.next();
      value?.dispose();
      value = discriminatorStep(tf, net, x, zd);
      tf.dispose([x, zd]);
    }
    const zg = z.next();
    const loss = generatorStep(tf, net, zg);
    const both = tf.add(value!, loss) as tfc.Scalar;
    const sum = total ? (tf.add(total, both) as tfc.Scalar) : both;
    tf.dispose([zg, loss, value!, ...(total ? [total, both] : [])]);
    total = sum;
  }
  return total!;
}

/**
 * The training step as a GPU wants it: the real pool uploaded once in a seeded shuffled order (each
 * batch a slice of it, epoch after epoch), the noise drawn on the device (device-normals.ts), and V
 * and the generator loss summed on the device and read back once per run of `steps` steps.
 */
function onDeviceWorkload(data: RealData): WorkloadSpec {
  return {
    name: 'train-steps-on-device',
    description:
      `${DEVICE_STEPS} steps per run (size "steps" for another count) of the ` +
      `train-step's updates on ${data.label} with nothing crossing to or ` +
      `from the host but V and the loss once per run: real samples kept on ` +
      `the device, noise drawn there from a seeded generator`,
    async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
      const a = architectureOf(size, data);
      const batch = size.batch;
      const steps = size.steps ?? DEVICE_STEPS;
      if (!Number.isInteger(steps) || steps < 1)
        throw new Error(`train-steps-on-device: "steps" must be a positive integer, got ${steps}`);
      const net = createGan(tf, a, seeds.init);
      const pool = data.pool(seeds);
      const { real, batches } = shuffledPool(tf, pool, batch, a.dataDim, seeds);
      const z = new DeviceNormals(tf, deriveSeed(seeds.sampling, 'device-noise'), [batch, a.noiseDim]);
      let next = 0;
      return {
        workPerRun: steps,
        workUnit: 'iterations/s',
        flopsPerRun: steps * stepFlops(a, batch),
        heldBackBy:
          'besides the products: one kernel per elementwise op and per Adam ' +
          'variable (kernels_per_run / steps per step); nothing uploaded, one ' +
          'read-back per run; the layers are small, so dispatch dominates',
        async run() {
          const nextBatch = () => {
            const x = tf.slice(real, [next * batch, 0], [batch, a.dataDim]) as tfc.Tensor2D;
            next = (next + 1) % batches;
            return x;
          };
          const total = deviceSteps(tf, net, steps, nextBatch, z);
          await total.data();
          total.dispose();
        },
        check: () => checkValue(tf, net, pool, seeds, backend),
        dispose() {
          real.dispose();
          z.dispose();
          net.dispose();
        },
      };
    },
  };
}

const generateWorkload: WorkloadSpec = {
  name: 'generate',
  description: 'G(z) for a batch of noise vectors, read back',
  async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
    const a = architectureOf(size, RING_DATA);
    const net = createGan(tf, a, seeds.init);
    const pool = RING_DATA.pool(seeds);
    const z = tf.tensor2d(noise(new Rng(deriveSeed(seeds.sampling, 'noise')), size.batch, a.noiseDim), [
      size.batch,
      a.noiseDim,
    ]);
    return {
      workPerRun: size.batch,
      workUnit: 'samples/s',
      flopsPerRun: forwardFlops(size.batch, networkLayers(a, 'g')),
      heldBackBy:
        'one forward pass of a small generator and the read-back of its samples: dispatch and transfer, not products',
      async run() {
        const x = tf.tidy(() => generate(tf, net, z));
        await x.data();
        x.dispose();
      },
      check: () => checkValue(tf, net, pool, seeds, backend),
      dispose() {
        z.dispose();
        net.dispose();
      },
    };
  },
};

export const GAN_WORKLOADS: readonly WorkloadSpec[] = [
  trainStepWorkload('train-step', RING_DATA),
  trainStepWorkload(
    'train-step-flat-adam',
    RING_DATA,
    'flat',
    ': the same step, bit for bit, with one Adam kernel per network over all ' +
      'its parameters (in place, nothing through the host, on cpu and wasm), ' +
      "without tfjs's kernels that compute nothing and with layer gradients " +
      'that transpose less (139 kernels per step instead of 365)',
  ),
  trainStepWorkload('train-step-images', IMAGE_DATA),
  onDeviceWorkload(RING_DATA),
  generateWorkload,
];
