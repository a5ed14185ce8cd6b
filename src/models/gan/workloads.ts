// Benchmark workloads of the GAN on the 8-Gaussians ring with the anchor networks (3 x 128 ReLU).
// Every row carries V(D, G): the backend's value on fixed real samples and noise, checked against the
// float64 networks and formula recomputed from the parameters.
import { deriveSeed, Rng, type Seeds } from '../../seeds.js';
import type { BackendRuntime, ObjectiveCheck, PreparedWorkload, SizeParams, Tf, WorkloadSpec } from '../../types.js';
import { ANCHOR_ARCHITECTURE, type GanArchitecture } from './architecture.js';
import { mixtureSample, RING8 } from './data.js';
import { createGan, evaluate, generate, noise, readParameters, trainStep, type GanNetwork } from './model.js';
import { valueFromLogits } from './objective.js';
import { oracleForward } from './oracle-network.js';

/** Real samples and noise vectors in the value check. */
const CHECK_ROWS = 256;
/** Real samples the train-step workload draws its batches from. */
const POOL_ROWS = 65536;

function architectureOf(size: SizeParams): GanArchitecture {
  if (!Number.isInteger(size.batch) || size.batch < 1) throw new Error(`GAN workloads need a size { batch } (optionally hidden, layers, noise), got ${JSON.stringify(size)}`);
  return { ...ANCHOR_ARCHITECTURE, hidden: size.hidden ?? ANCHOR_ARCHITECTURE.hidden, layers: size.layers ?? ANCHOR_ARCHITECTURE.layers, noiseDim: size.noise ?? ANCHOR_ARCHITECTURE.noiseDim };
}

/** The backend's V on fixed ring samples and noise against the float64 recomputation. */
export async function checkValue(tf: Tf, net: GanNetwork, seeds: Seeds, backend: BackendRuntime): Promise<ObjectiveCheck> {
  const a = net.architecture;
  const rng = new Rng(deriveSeed(seeds.sampling, 'check'));
  const real = mixtureSample(RING8, CHECK_ROWS, rng, 'check');
  const realF32 = Float32Array.from(real.x);
  const z = noise(rng, CHECK_ROWS, a.noiseDim);
  const model = await evaluate(tf, net, realF32, z, CHECK_ROWS);
  const p = await readParameters(net);
  const fake = oracleForward(a, 'g', p, z, CHECK_ROWS);
  const oracleValue = valueFromLogits(oracleForward(a, 'd', p, realF32, CHECK_ROWS), oracleForward(a, 'd', p, fake, CHECK_ROWS));
  const relError = Math.abs(model.value - oracleValue) / Math.abs(oracleValue);
  const passed = Number.isFinite(model.value) && relError <= backend.relativeTolerance;
  return {
    objectiveName: 'V(D,G)',
    modelValue: model.value,
    oracleValue,
    relError,
    tolerance: backend.relativeTolerance,
    passed,
    note: passed ? undefined : `V on ${CHECK_ROWS} ring samples: backend ${model.value}, float64 ${oracleValue}`,
  };
}

const trainStepWorkload: WorkloadSpec = {
  name: 'train-step',
  description: 'one discriminator and one generator Adam update (non-saturating) on the 8-Gaussians ring, V and the loss read back',
  async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
    const a = architectureOf(size);
    const batch = size.batch;
    const net = createGan(tf, a, seeds.init);
    const pool = mixtureSample(RING8, POOL_ROWS, new Rng(seeds.data), 'ring8');
    const rng = new Rng(deriveSeed(seeds.sampling, 'batches'));
    return {
      workPerRun: 1,
      workUnit: 'iterations/s',
      async run() {
        // Batches are drawn and uploaded inside the timed step, as a training loop does.
        const start = rng.int(POOL_ROWS - batch + 1);
        const real = tf.tensor2d(Float32Array.from(pool.x.subarray(start * 2, (start + batch) * 2)), [batch, a.dataDim]);
        const zs = [0, 1].map(() => tf.tensor2d(noise(rng, batch, a.noiseDim), [batch, a.noiseDim]));
        await trainStep(tf, net, [real], zs);
        tf.dispose([real, ...zs]);
      },
      check: () => checkValue(tf, net, seeds, backend),
      dispose: () => net.dispose(),
    };
  },
};

const generateWorkload: WorkloadSpec = {
  name: 'generate',
  description: 'G(z) for a batch of noise vectors, read back',
  async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
    const a = architectureOf(size);
    const net = createGan(tf, a, seeds.init);
    const z = tf.tensor2d(noise(new Rng(deriveSeed(seeds.sampling, 'noise')), size.batch, a.noiseDim), [size.batch, a.noiseDim]);
    return {
      workPerRun: size.batch,
      workUnit: 'samples/s',
      async run() {
        const x = tf.tidy(() => generate(tf, net, z));
        await x.data();
        x.dispose();
      },
      check: () => checkValue(tf, net, seeds, backend),
      dispose() {
        z.dispose();
        net.dispose();
      },
    };
  },
};

export const GAN_WORKLOADS: readonly WorkloadSpec[] = [trainStepWorkload, generateWorkload];
