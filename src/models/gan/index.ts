// The generative adversarial network as a ModelSpec: the registry's one line points here.
import { GAN_IMPL_WORKLOADS } from './impl-workloads.js';
import { loadFashionMnist } from '../../data/fashion-mnist.js';
import { deriveSeed, Rng, type Seeds } from '../../seeds.js';
import { checkWorkingMemory } from '../memory.js';
import type { Dataset, FitProgress, FitSummary, OracleReport, Tf } from '../../types.js';
import type { ModelSpec } from '../spec.js';
import { GAN_CHECKS } from './checks.js';
import { GAN_PROTOCOL_OPTIONS } from './protocol-options.js';
import { GAN_REFERENCE } from './reference.js';
import { parseIntegerOption, parsePositiveOption } from '../options.js';
import { ANCHOR_ARCHITECTURE, type GanArchitecture } from './architecture.js';
import { drawRows, GAUSS1D, GRID25, gaussian1dSample, mixtureSample, RING8, SYNTHETIC_ROWS } from './data.js';
import { ANCHOR_TRAINING, evaluate, noise, readParameters, type GanNetwork, type GanTraining } from './model.js';
import { jensenShannon, valueFromLogits } from './objective.js';
import { oracleForward, type ParameterValues } from './oracle-network.js';
import { trainGan, type GanTrainConfig } from './train.js';
import { GAN_WORKLOADS } from './workloads.js';
import { ganPeerFit } from './peer-fit.js';

/** Rows of real data and noise the float64 oracle recomputes V on after a fit. */
const JUDGED_ROWS = 512;

interface JudgeState {
  readonly architecture: GanArchitecture;
  readonly parameters: ParameterValues;
  readonly real: Float32Array;
  readonly z: Float32Array;
  readonly backendValue: number;
}

/**
 * A training step holds, per network layer, the batch's pre-activations, activations and their
 * gradients: about 3 x (layers + 1) buffers of batch x width float32 for each of the two networks.
 */
function checkedBatch(batch: number, dataDim: number, options: Readonly<Record<string, string>>): number {
  const width = Math.max(
    dataDim,
    parseIntegerOption('hidden', options.hidden, ANCHOR_ARCHITECTURE.hidden),
    parseIntegerOption('noise', options.noise, ANCHOR_ARCHITECTURE.noiseDim),
  );
  const layers = parseIntegerOption('layers', options.layers, ANCHOR_ARCHITECTURE.layers, true);
  checkWorkingMemory(
    [
      [
        `a training step at batch ${batch} (width ${width}, ${layers} hidden layers, two networks)`,
        2 * 3 * (layers + 1) * batch * width * 4,
      ],
    ],
    'lower --batch',
  );
  return batch;
}

export function ganTrainConfig(data: Dataset, options: Readonly<Record<string, string>>): GanTrainConfig {
  const loss = options.loss ?? ANCHOR_TRAINING.generatorLoss;
  if (loss !== 'nonsaturating' && loss !== 'minimax')
    throw new Error(`--loss must be nonsaturating or minimax, got '${loss}'`);
  const beta = (name: string, fallback: number) => {
    const v = parsePositiveOption(name, options[name], fallback);
    if (v >= 1) throw new Error(`--${name} must be in (0, 1), got '${options[name]}'`);
    return v;
  };
  const training: GanTraining = {
    learningRate: parsePositiveOption('lr', options.lr, ANCHOR_TRAINING.learningRate),
    beta1: beta('beta1', ANCHOR_TRAINING.beta1),
    beta2: beta('beta2', ANCHOR_TRAINING.beta2),
    dSteps: parseIntegerOption('d-steps', options['d-steps'], ANCHOR_TRAINING.dSteps),
    generatorLoss: loss,
  };
  return {
    architecture: {
      dataDim: data.cols,
      noiseDim: parseIntegerOption('noise', options.noise, ANCHOR_ARCHITECTURE.noiseDim),
      hidden: parseIntegerOption('hidden', options.hidden, ANCHOR_ARCHITECTURE.hidden),
      layers: parseIntegerOption('layers', options.layers, ANCHOR_ARCHITECTURE.layers, true),
    },
    training,
    steps: parseIntegerOption('steps', options.steps, 2000),
    batchSize: checkedBatch(parseIntegerOption('batch', options.batch, 512), data.cols, options),
    evalEvery: parseIntegerOption('eval-every', options['eval-every'], 100),
    evalSamples: parseIntegerOption('eval-samples', options['eval-samples'], 2500),
  };
}

function meanAndSd(x: Float32Array): { mean: number; sd: number } {
  let m = 0;
  for (const v of x) m += v / x.length;
  let s = 0;
  for (const v of x) s += (v - m) ** 2 / x.length;
  return { mean: m, sd: Math.sqrt(s) };
}

/**
 * V = mean log D(x) + mean log(1 - D(G(z))) lies in (-inf, 0] and is -log 4 ~ -1.39 at equilibrium;
 * beyond -1e3 a discriminator is wrong with probability e^-1000 on average: its logits blew up, so
 * training diverged even when every number is still finite.
 */
const DIVERGED_ABS_V = 1e3;

function diverged(last: { value: number; g_loss_nonsaturating: number; g_loss_minimax: number }): boolean {
  return (
    ![last.value, last.g_loss_nonsaturating, last.g_loss_minimax].every(Number.isFinite) ||
    Math.abs(last.value) > DIVERGED_ABS_V
  );
}

/**
 * What judge needs of a trained network: its parameters, and V on seeded real rows and noise as the backend computed
 * it.
 */
async function judgeState(
  tf: Tf,
  network: GanNetwork,
  a: GanArchitecture,
  data: Dataset,
  seeds: Seeds,
): Promise<JudgeState> {
  const rng = new Rng(deriveSeed(seeds.sampling, 'judge'));
  const real = drawRows(data, JUDGED_ROWS, rng);
  const z = noise(rng, JUDGED_ROWS, a.noiseDim);
  const judged = await evaluate(tf, network, real, z, JUDGED_ROWS);
  return { architecture: a, parameters: await readParameters(network), real, z, backendValue: judged.value };
}

export const gan: ModelSpec = {
  name: 'gan',
  title: 'generative adversarial network (MLP generator and discriminator)',
  capabilities: { binaryClassifier: false, convexObjective: false, generative: true },
  workloads: GAN_WORKLOADS,
  implWorkloads: GAN_IMPL_WORKLOADS,
  checks: GAN_CHECKS,
  reference: GAN_REFERENCE,
  protocolOptions: GAN_PROTOCOL_OPTIONS,
  fitOptions: {
    steps: 'generator updates; default 2000',
    batch: 'minibatch size; default 512',
    hidden: 'width of the hidden ReLU layers; default 128',
    layers: 'hidden layers per network (0: affine); default 3',
    noise: 'noise dimensions; default 2',
    loss: 'generator loss: nonsaturating (-log D(G(z))) or minimax (log(1 - D(G(z)))); default nonsaturating',
    'd-steps': 'discriminator updates per generator update; default 1',
    lr: 'Adam learning rate; default 1e-3',
    beta1: 'Adam beta1; default 0.5',
    beta2: 'Adam beta2; default 0.999',
    'eval-every': 'steps between evaluations; default 100',
    'eval-samples': 'generated samples per evaluation (modes are counted on these); default 2500',
  },
  namedData: {
    ring8: {
      description: '8 Gaussians on a circle of radius 2, sd 0.02 (100000 samples)',
      load: (seeds: Seeds) => mixtureSample(RING8, SYNTHETIC_ROWS, new Rng(seeds.data), 'ring8'),
    },
    grid25: {
      description: '25 Gaussians on the grid {-4,-2,0,2,4}^2, sd 0.05 (100000 samples)',
      load: (seeds: Seeds) => mixtureSample(GRID25, SYNTHETIC_ROWS, new Rng(seeds.data), 'grid25'),
    },
    gauss1d: {
      description:
        `N(${GAUSS1D.mean}, ${GAUSS1D.sd}^2) in 1-D (100000 samples): the JSD ` +
        `of a Gaussian fitted to the generated samples is reported`,
      load: (seeds: Seeds) => gaussian1dSample(GAUSS1D, SYNTHETIC_ROWS, new Rng(seeds.data)),
    },
    'fashion-mnist': {
      description:
        "Fashion-MNIST training images in [0, 1] (784 dimensions; Debian's " +
        'dataset-fashion-mnist, else the committed subset)',
      load() {
        const split = loadFashionMnist();
        return { ...split.train, note: split.note };
      },
    },
  },
  qualityMetrics: { modes_captured: 'higher', high_quality: 'higher' },
  peerFit: (session, data, options, seeds) => ganPeerFit(session, data, ganTrainConfig(data, options), seeds),
  async fit(
    tf: Tf,
    data: Dataset,
    options: Readonly<Record<string, string>>,
    seeds: Seeds,
    progress?: FitProgress,
  ): Promise<FitSummary> {
    const config = ganTrainConfig(data, options);
    const result = await trainGan(tf, data, config, seeds, progress);
    try {
      const a = config.architecture;
      const state = await judgeState(tf, result.network, a, data, seeds);
      const last = result.trace[result.trace.length - 1];
      const allModes = data.modes
        ? result.trace.find((t) => t.modes_captured === data.modes!.centres.length)?.step
        : undefined;
      const oneD = a.dataDim === 1 && data.modes?.centres.length === 1 ? meanAndSd(result.samples) : undefined;
      return {
        parameters: {
          value: last.value,
          g_loss_nonsaturating: last.g_loss_nonsaturating,
          g_loss_minimax: last.g_loss_minimax,
          d_real: last.d_real,
          d_fake: last.d_fake,
          ...(last.modes_captured === undefined
            ? {}
            : {
                modes_captured: last.modes_captured,
                modes: data.modes!.centres.length,
                high_quality: last.high_quality!,
                first_step_all_modes: allModes ?? -1,
              }),
          ...(oneD
            ? {
                generated_mean: oneD.mean,
                generated_sd: oneD.sd,
                jsd_fitted_gaussian: jensenShannon({ mean: data.modes!.centres[0][0], sd: data.modes!.sd }, oneD),
              }
            : {}),
          steps: config.steps,
        },
        modelObjective: last.value,
        modelObjectiveName: 'V',
        iterations: config.steps,
        converged: !diverged(last),
        message:
          (diverged(last)
            ? `diverged: V = ${last.value} (V stays within [-${DIVERGED_ABS_V}, 0] unless the ` +
              `discriminator's logits blow up); lower --lr. `
            : '') +
          `${config.steps} generator steps (${config.training.dSteps} D step(s) ` +
          `each, ${config.training.generatorLoss}) at batch ${config.batchSize}; ` +
          `-log 4 = ${(-Math.log(4)).toFixed(4)}`,
        trace: result.trace as unknown as Readonly<Record<string, number>>[],
        state,
      };
    } finally {
      result.network.dispose();
    }
  },
  judge(_data: Dataset, _options: Readonly<Record<string, string>>, summary: FitSummary): OracleReport {
    const s = summary.state as JudgeState;
    const a = s.architecture;
    const fake = oracleForward(a, 'g', s.parameters, s.z, JUDGED_ROWS);
    const value = valueFromLogits(
      oracleForward(a, 'd', s.parameters, s.real, JUDGED_ROWS),
      oracleForward(a, 'd', s.parameters, fake, JUDGED_ROWS),
    );
    return {
      objectiveName: `V(D, G) on ${JUDGED_ROWS} real samples and noise vectors (float64 recomputation)`,
      objective: value,
      extra: {
        backend_value_judged: s.backendValue,
        judged_relative_error: Math.abs(s.backendValue - value) / Math.abs(value),
      },
    };
  },
};
