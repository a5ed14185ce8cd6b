// Training the GAN on a pool of real samples: seeded minibatches and noise, and at every evaluation
// V, both generator losses, D's mean outputs, and (for a known mixture) the modes captured.
import { deriveSeed, Rng, type Seeds } from '../../seeds.js';
import type { Dataset, Tf } from '../../types.js';
import type { GanArchitecture } from './architecture.js';
import { drawRows } from './data.js';
import { createGan, evaluate, noise, trainStep, type GanNetwork, type GanTraining } from './model.js';
import { modeCoverage } from './objective.js';

export interface GanTrainConfig {
  readonly architecture: GanArchitecture;
  readonly training: GanTraining;
  readonly steps: number;
  readonly batchSize: number;
  readonly evalEvery: number;
  /** Samples per evaluation (PacGAN counts modes on 2500). */
  readonly evalSamples: number;
}

export interface GanRecord {
  readonly step: number;
  readonly value: number;
  readonly g_loss_nonsaturating: number;
  readonly g_loss_minimax: number;
  readonly d_real: number;
  readonly d_fake: number;
  readonly modes_captured?: number;
  readonly high_quality?: number;
}

export interface GanTrainResult {
  readonly network: GanNetwork;
  readonly trace: GanRecord[];
  /** The last evaluation's generated samples, row-major. */
  readonly samples: Float32Array;
}

export async function evaluateGan(
  tf: Tf,
  net: GanNetwork,
  data: Dataset,
  step: number,
  config: Pick<GanTrainConfig, 'evalSamples'>,
  seed: number,
): Promise<{ record: GanRecord; samples: Float32Array }> {
  // The same real rows and noise at every evaluation: changes in the trace come from training only.
  const rng = new Rng(seed);
  const real = drawRows(data, config.evalSamples, rng);
  const z = noise(rng, config.evalSamples, net.architecture.noiseDim);
  const e = await evaluate(tf, net, real, z, config.evalSamples);
  const coverage = data.modes ? modeCoverage(e.samples, data.cols, data.modes.centres, data.modes.sd) : undefined;
  return {
    record: {
      step,
      value: e.value,
      g_loss_nonsaturating: e.nonSaturatingLoss,
      g_loss_minimax: e.minimaxLoss,
      d_real: e.meanDReal,
      d_fake: e.meanDFake,
      ...(coverage ? { modes_captured: coverage.modesCaptured, high_quality: coverage.highQuality } : {}),
    },
    samples: e.samples,
  };
}

export async function trainGan(
  tf: Tf,
  data: Dataset,
  config: GanTrainConfig,
  seeds: Seeds,
  progress?: (done: number, total: number, label: string) => void,
): Promise<GanTrainResult> {
  const { architecture: a, batchSize } = config;
  if (data.cols !== a.dataDim)
    throw new Error(`the data has ${data.cols} columns but the generator makes ${a.dataDim}`);
  const net = createGan(tf, a, seeds.init, config.training);
  const batchRng = new Rng(deriveSeed(seeds.sampling, 'batches'));
  const noiseRng = new Rng(deriveSeed(seeds.sampling, 'noise'));
  const evalSeed = deriveSeed(seeds.sampling, 'evaluation');
  const trace: GanRecord[] = [];
  let samples: Float32Array = new Float32Array(0);
  try {
    for (let step = 1; step <= config.steps; step++) {
      const reals = Array.from({ length: config.training.dSteps }, () =>
        tf.tensor2d(drawRows(data, batchSize, batchRng), [batchSize, a.dataDim]),
      );
      const zs = Array.from({ length: config.training.dSteps + 1 }, () =>
        tf.tensor2d(noise(noiseRng, batchSize, a.noiseDim), [batchSize, a.noiseDim]),
      );
      const r = await trainStep(tf, net, reals, zs);
      tf.dispose([...reals, ...zs]);
      if (!Number.isFinite(r.value) || !Number.isFinite(r.generatorLoss)) {
        throw new Error(
          `training diverged at step ${step}: V = ${r.value}, generator loss ` +
            `${r.generatorLoss}; lower the learning rate`,
        );
      }
      if (step % config.evalEvery === 0 || step === config.steps) {
        const e = await evaluateGan(tf, net, data, step, config, evalSeed);
        trace.push(e.record);
        samples = e.samples;
        const modes =
          e.record.modes_captured === undefined
            ? ''
            : `, modes ${e.record.modes_captured}/${data.modes!.centres.length}`;
        progress?.(step, config.steps, `step ${step}: V ${e.record.value.toFixed(4)}${modes}`);
      } else progress?.(step, config.steps, `step ${step}: V ${r.value.toFixed(4)}`);
    }
    return { network: net, trace, samples };
  } catch (e) {
    net.dispose();
    throw e;
  }
}
