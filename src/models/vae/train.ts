// Training and evaluation of the VAE on an image split: seeded shuffling, seeded noise, the ELBO per
// epoch on train and test, and the IWAE bound at the end.
import { deriveSeed, Rng, type Seeds } from '../../seeds.js';
import type { Dataset, Tf } from '../../types.js';
import type { VaeArchitecture } from './architecture.js';
import { createVae, evaluateElbo, evaluateIwae, noise, trainStep, type AdamConfig, type VaeNetwork } from './model.js';

export interface VaeTrainConfig {
  readonly architecture: VaeArchitecture;
  readonly adam: AdamConfig;
  readonly epochs: number;
  readonly batchSize: number;
  /** Importance samples per example for the final IWAE bound. */
  readonly iwaeSamples: number;
  /** How many test examples the IWAE bound is averaged over (it costs iwaeSamples decodes each). */
  readonly iwaeExamples: number;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly train_elbo: number;
  readonly test_elbo: number;
  readonly test_reconstruction: number;
  readonly test_kl: number;
  readonly seconds: number;
}

export interface VaeTrainResult {
  readonly network: VaeNetwork;
  readonly trace: EpochRecord[];
  readonly testElbo: number;
  readonly testIwae: number;
  readonly steps: number;
}

export type TrainProgress = (done: number, total: number, label: string) => void;

/** Test images per evaluation request: the noise is drawn chunk by chunk, so a peer's evaluation follows these. */
export const EVAL_CHUNK = 1000;
const IWAE_CHUNK = 50;

function rowsOf(data: Dataset, indices: ArrayLike<number>, out: Float32Array): void {
  const cols = data.cols;
  for (let r = 0; r < indices.length; r++) {
    const o = indices[r] * cols;
    for (let j = 0; j < cols; j++) out[r * cols + j] = data.x[o + j];
  }
}

function shuffled(n: number, rng: Rng): Uint32Array {
  const p = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Mean ELBO terms over a whole set, with noise from a fixed evaluation stream so reruns agree. */
export async function evaluateSet(
  tf: Tf,
  net: VaeNetwork,
  data: Dataset,
  seed: number,
): Promise<{ elbo: number; reconstruction: number; kl: number }> {
  const rng = new Rng(seed);
  let elbo = 0;
  let reconstruction = 0;
  let kl = 0;
  for (let start = 0; start < data.rows; start += EVAL_CHUNK) {
    const rows = Math.min(EVAL_CHUNK, data.rows - start);
    const x = Float32Array.from(data.x.subarray(start * data.cols, (start + rows) * data.cols));
    const terms = await evaluateElbo(tf, net, x, noise(rng, rows, net.architecture.latent), rows);
    for (let i = 0; i < rows; i++) {
      elbo += terms.elbo[i];
      reconstruction += terms.reconstruction[i];
      kl += terms.kl[i];
    }
  }
  return { elbo: elbo / data.rows, reconstruction: reconstruction / data.rows, kl: kl / data.rows };
}

export async function trainVae(
  tf: Tf,
  train: Dataset,
  test: Dataset,
  config: VaeTrainConfig,
  seeds: Seeds,
  progress?: TrainProgress,
): Promise<VaeTrainResult> {
  const { architecture, batchSize } = config;
  if (train.cols !== architecture.input)
    throw new Error(`the data has ${train.cols} columns but the network's input is ` + `${architecture.input}`);
  const net = createVae(tf, architecture, seeds.init, config.adam);
  const shuffleRng = new Rng(deriveSeed(seeds.sampling, 'shuffle'));
  const noiseRng = new Rng(deriveSeed(seeds.sampling, 'noise'));
  const evalSeed = deriveSeed(seeds.sampling, 'evaluation');
  const stepsPerEpoch = Math.ceil(train.rows / batchSize);
  const totalSteps = stepsPerEpoch * config.epochs;
  const batch = new Float32Array(batchSize * train.cols);
  const trace: EpochRecord[] = [];
  let steps = 0;
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const t0 = performance.now();
      const order = shuffled(train.rows, shuffleRng);
      let sum = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        const idx = order.subarray(s * batchSize, Math.min((s + 1) * batchSize, train.rows));
        const rows = idx.length;
        const xb = rows === batchSize ? batch : new Float32Array(rows * train.cols);
        rowsOf(train, idx, xb);
        const xt = tf.tensor2d(xb, [rows, train.cols]);
        const et = tf.tensor2d(noise(noiseRng, rows, architecture.latent), [rows, architecture.latent]);
        const elbo = await trainStep(tf, net, xt, et);
        tf.dispose([xt, et]);
        if (!Number.isFinite(elbo))
          throw new Error(`the ELBO became ${elbo} at epoch ${epoch}, step ${s + 1}; lower the ` + `learning rate`);
        sum += elbo * rows;
        steps++;
        progress?.(steps, totalSteps, `epoch ${epoch}/${config.epochs}, batch ELBO ${elbo.toFixed(2)}`);
      }
      const testTerms = await evaluateSet(tf, net, test, evalSeed);
      trace.push({
        epoch,
        train_elbo: sum / train.rows,
        test_elbo: testTerms.elbo,
        test_reconstruction: testTerms.reconstruction,
        test_kl: testTerms.kl,
        seconds: (performance.now() - t0) / 1000,
      });
    }
    const testElbo =
      trace.length > 0 ? trace[trace.length - 1].test_elbo : (await evaluateSet(tf, net, test, evalSeed)).elbo;
    const testIwae = await iwaeOnSet(tf, net, test, config, deriveSeed(seeds.sampling, 'iwae'));
    return { network: net, trace, testElbo, testIwae, steps };
  } catch (e) {
    net.dispose();
    throw e;
  }
}

export async function iwaeOnSet(
  tf: Tf,
  net: VaeNetwork,
  data: Dataset,
  config: Pick<VaeTrainConfig, 'iwaeSamples' | 'iwaeExamples'>,
  seed: number,
): Promise<number> {
  const rng = new Rng(seed);
  const n = Math.min(config.iwaeExamples, data.rows);
  let sum = 0;
  for (let start = 0; start < n; start += IWAE_CHUNK) {
    const rows = Math.min(IWAE_CHUNK, n - start);
    const x = Float32Array.from(data.x.subarray(start * data.cols, (start + rows) * data.cols));
    const bounds = await evaluateIwae(tf, net, x, rows, config.iwaeSamples, rng);
    for (let i = 0; i < rows; i++) sum += bounds[i];
  }
  return sum / n;
}
