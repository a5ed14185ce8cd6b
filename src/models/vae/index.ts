// The variational autoencoder as a ModelSpec: the registry's one line points here.
import { VAE_IMPL_WORKLOADS } from './impl-workloads.js';
import { DataError } from '../../errors.js';
import { loadFashionMnist } from '../../data/fashion-mnist.js';
import { deriveSeed, Rng, type Seeds } from '../../seeds.js';
import type { Dataset, FitProgress, FitSummary, OracleReport, Tf } from '../../types.js';
import type { ModelSpec } from '../spec.js';
import { VAE_CHECKS } from './checks.js';
import { VAE_PROTOCOL_OPTIONS } from './protocol-options.js';
import { VAE_REFERENCE } from './reference.js';
import { parseIntegerOption, parsePositiveOption } from '../options.js';
import { describe, STANDARD_ARCHITECTURE, type Likelihood, type VaeArchitecture } from './architecture.js';
import { linearGaussianSplit } from './linear-gaussian.js';
import { ADAM_DEFAULTS, evaluateElbo, noise, readParameters } from './model.js';
import { oracleElbo, type ParameterValues } from './oracle-network.js';
import { vaePeerFit } from './peer-fit.js';
import { trainVae, type VaeTrainConfig } from './train.js';
import { VAE_WORKLOADS } from './workloads.js';

/** Share of a CSV's rows held out as the test set when the data brings no test split of its own. */
const HOLD_OUT_FRACTION = 0.1;
/** Test examples the float64 oracle recomputes after a fit (784-400-20-400-784 costs ~1 ms each). */
const JUDGED_EXAMPLES = 200;

interface JudgeState {
  readonly architecture: VaeArchitecture;
  readonly parameters: ParameterValues;
  readonly x: Float32Array;
  readonly eps: Float32Array;
  readonly rows: number;
  readonly backendElbo: number;
}

function likelihoodOf(raw: string | undefined): Likelihood {
  if (raw === undefined) return STANDARD_ARCHITECTURE.likelihood;
  if (raw !== 'bernoulli' && raw !== 'gaussian')
    throw new Error(`--likelihood must be bernoulli or gaussian, got '${raw}'`);
  return raw;
}

export function vaeTrainConfig(data: Dataset, options: Readonly<Record<string, string>>): VaeTrainConfig {
  const variance =
    options.variance === undefined || options.variance === 'learned'
      ? 'learned'
      : parsePositiveOption('variance', options.variance, 1);
  const architecture: VaeArchitecture = {
    input: data.cols,
    hidden: parseIntegerOption('hidden', options.hidden, STANDARD_ARCHITECTURE.hidden, true),
    latent: parseIntegerOption('latent', options.latent, STANDARD_ARCHITECTURE.latent),
    likelihood: likelihoodOf(options.likelihood),
    gaussianVariance: variance,
  };
  return {
    architecture,
    adam: {
      ...ADAM_DEFAULTS,
      learningRate: parsePositiveOption('lr', options.lr, ADAM_DEFAULTS.learningRate),
      beta1: parsePositiveOption('beta1', options.beta1, ADAM_DEFAULTS.beta1),
      beta2: parsePositiveOption('beta2', options.beta2, ADAM_DEFAULTS.beta2),
    },
    epochs: parseIntegerOption('epochs', options.epochs, 1),
    batchSize: parseIntegerOption('batch', options.batch, 128),
    iwaeSamples: parseIntegerOption('iwae-k', options['iwae-k'], 100),
    iwaeExamples: parseIntegerOption('iwae-examples', options['iwae-examples'], 1000),
  };
}

/** Bernoulli needs every value in [0, 1]: refuse the first cell that is not, naming it. */
function checkBernoulliRange(data: Dataset): void {
  for (let i = 0; i < data.x.length; i++) {
    const v = data.x[i];
    if (v < 0 || v > 1) {
      const row = Math.floor(i / data.cols);
      const col = data.featureNames[i % data.cols];
      throw new DataError(
        `${data.name}: row ${row + 1} (line ${row + 2} of a CSV), column '` +
          `${col}': ${v} is outside [0, 1]; the Bernoulli likelihood needs ` +
          `values in [0, 1] (scale pixels by 1/255) — or pass --likelihood ` +
          `gaussian`,
      );
    }
  }
}

/** The data's own test split, or the last 10% of its rows. */
function splitOf(data: Dataset): { train: Dataset; test: Dataset } {
  if (data.heldOut) return { train: data, test: data.heldOut };
  const testRows = Math.max(1, Math.floor(data.rows * HOLD_OUT_FRACTION));
  const trainRows = data.rows - testRows;
  if (trainRows < 1)
    throw new DataError(`${data.name}: ${data.rows} row(s) is too few to hold out a test set; give at least 2 rows`);
  const cut = trainRows * data.cols;
  return {
    train: { ...data, rows: trainRows, x: data.x.subarray(0, cut), y: data.y.subarray(0, trainRows) },
    test: {
      ...data,
      name: `${data.name} (last ${testRows} rows)`,
      rows: testRows,
      x: data.x.subarray(cut),
      y: data.y.subarray(trainRows),
    },
  };
}

export const vae: ModelSpec = {
  name: 'vae',
  title: 'variational autoencoder (Gaussian encoder, Bernoulli or Gaussian decoder)',
  capabilities: { binaryClassifier: false, convexObjective: false, generative: true },
  workloads: VAE_WORKLOADS,
  implWorkloads: VAE_IMPL_WORKLOADS,
  checks: VAE_CHECKS,
  reference: VAE_REFERENCE,
  protocolOptions: VAE_PROTOCOL_OPTIONS,
  // The test ELBO varies with the seed (init, shuffling, noise): fit --seeds reports its distribution.
  qualityMetrics: { test_elbo: 'higher' },
  peerFit: (session, data, options, seeds) => vaePeerFit(session, splitOf(data), vaeTrainConfig(data, options), seeds),
  fitOptions: {
    epochs: 'passes over the training set; default 1',
    latent: 'latent dimensions; default 20',
    hidden: 'width of the hidden ReLU layer of encoder and decoder, 0 for linear ones; default 400',
    likelihood: 'bernoulli (values in [0, 1]) or gaussian; default bernoulli',
    variance: "gaussian decoder's variance: 'learned' (per dimension) or a positive number; default learned",
    batch: 'minibatch size; default 128',
    lr: 'Adam learning rate; default 1e-3',
    beta1: 'Adam beta1; default 0.9',
    beta2: 'Adam beta2; default 0.999',
    'iwae-k': 'importance samples per example for the final IWAE bound; default 100',
    'iwae-examples': 'test examples the IWAE bound averages over; default 1000',
  },
  namedData: {
    'fashion-mnist': {
      description:
        "Fashion-MNIST, 60000 + 10000 images scaled to [0, 1] (Debian's " +
        'dataset-fashion-mnist; else the committed subset)',
      load() {
        const split = loadFashionMnist();
        return { ...split.train, heldOut: split.test, note: split.note };
      },
    },
    'linear-gaussian': {
      description:
        'x = W z + b + N(0, 0.1 I) in 8 dimensions with 2 latent (4096 + 1024 ' +
        'rows): log p(x) is exact; use --likelihood gaussian --hidden 0 ' +
        '--latent 2',
      load: (seeds: Seeds) => linearGaussianSplit(seeds.data).train,
    },
  },
  async fit(
    tf: Tf,
    data: Dataset,
    options: Readonly<Record<string, string>>,
    seeds: Seeds,
    progress?: FitProgress,
  ): Promise<FitSummary> {
    const config = vaeTrainConfig(data, options);
    const { train, test } = splitOf(data);
    if (config.architecture.likelihood === 'bernoulli') {
      checkBernoulliRange(train);
      checkBernoulliRange(test);
    }
    const result = await trainVae(tf, train, test, config, seeds, progress);
    try {
      const rows = Math.min(JUDGED_EXAMPLES, test.rows);
      const x = Float32Array.from(test.x.subarray(0, rows * test.cols));
      const eps = noise(new Rng(deriveSeed(seeds.sampling, 'judge')), rows, config.architecture.latent);
      const terms = await evaluateElbo(tf, result.network, x, eps, rows);
      const backendElbo = terms.elbo.reduce((a, b) => a + b, 0) / rows;
      const state: JudgeState = {
        architecture: config.architecture,
        parameters: await readParameters(result.network),
        x,
        eps,
        rows,
        backendElbo,
      };
      const last = result.trace[result.trace.length - 1];
      return {
        parameters: {
          network: describe(config.architecture),
          train_rows: train.rows,
          test_rows: test.rows,
          train_elbo: last.train_elbo,
          test_elbo: result.testElbo,
          test_reconstruction: last.test_reconstruction,
          test_kl: last.test_kl,
          test_iwae: result.testIwae,
          iwae_k: config.iwaeSamples,
          iwae_examples: Math.min(config.iwaeExamples, test.rows),
          steps: result.steps,
        },
        modelObjective: result.testElbo,
        modelObjectiveName: 'test_elbo',
        iterations: result.steps,
        converged: Number.isFinite(result.testElbo),
        message: `${config.epochs} epoch(s) of Adam at batch ${config.batchSize}; nats per example`,
        trace: result.trace as unknown as Readonly<Record<string, number>>[],
        state,
      };
    } finally {
      result.network.dispose();
    }
  },
  judge(_data: Dataset, _options: Readonly<Record<string, string>>, summary: FitSummary): OracleReport {
    const s = summary.state as JudgeState;
    const terms = oracleElbo(s.architecture, s.parameters, s.x, s.eps, s.rows);
    const oracle = terms.reduce((a, t) => a + t.elbo, 0) / s.rows;
    return {
      objectiveName: `ELBO of the first ${s.rows} test examples (float64 recomputation)`,
      objective: oracle,
      extra: {
        backend_elbo_judged: s.backendElbo,
        judged_relative_error: Math.abs(s.backendElbo - oracle) / Math.abs(oracle),
      },
    };
  },
};
