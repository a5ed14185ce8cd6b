// The VAE as `fit --impl` trains it on an implementation under test: the same training images,
// architecture, Adam learning rate, batch and epochs as our fit, through the protocol's `fit` (fresh
// networks from the seed, its own shuffling and noise), then the test ELBO on the same test images with
// the same evaluation noise as ours, recomputed by the harness in float64 from its encoder and decoder
// outputs (the reported `elbo` is not trusted).
import type { ImplSession } from '../../protocol/workload-types.js';
import { matrix, numbers } from '../../protocol/messages.js';
import { deriveSeed, Rng, standardNormals, type Seeds } from '../../seeds.js';
import type { Dataset } from '../../types.js';
import { ADAM_DEFAULTS } from './model.js';
import { elboFromOutputs, reparameterise } from './objective.js';
import { decoderOutputs } from './protocol-answer.js';
import { EVAL_CHUNK, type VaeTrainConfig } from './train.js';

/** What the protocol's VAE `fit` cannot be asked for: a refusal naming the option, before any training. */
function refusal(config: VaeTrainConfig): string | undefined {
  const { adam, architecture: a } = config;
  if (adam.beta1 !== ADAM_DEFAULTS.beta1 || adam.beta2 !== ADAM_DEFAULTS.beta2)
    return "--beta1/--beta2: the protocol's VAE fit takes no Adam betas (implementations use 0.9, 0.999)";
  if (a.likelihood === 'gaussian' && a.gaussianVariance !== 'learned')
    return "--variance: the protocol's Gaussian VAE learns its variance; use --variance learned with --impl";
  return undefined;
}

/** Mean ELBO, reconstruction and KL of the implementation on the whole set, chunk by chunk as evaluateSet draws. */
async function peerTestTerms(session: ImplSession, test: Dataset, latent: number, seed: number) {
  const rng = new Rng(seed);
  const sums = { elbo: 0, reconstruction: 0, kl: 0 };
  for (let start = 0; start < test.rows; start += EVAL_CHUNK) {
    const rows = Math.min(EVAL_CHUNK, test.rows - start);
    const x = test.x.subarray(start * test.cols, (start + rows) * test.cols);
    const eps = standardNormals(rng, rows, latent);
    const enc = await session.request({ op: 'encode', model: 'vae', X: await session.load(x, [rows, test.cols]) });
    const mu = matrix(enc, 'mu', rows, latent);
    const logvar = matrix(enc, 'logvar', rows, latent);
    const Z = mu.map((m, i) => Array.from(reparameterise(m, logvar[i], eps.subarray(i * latent, (i + 1) * latent))));
    const decoded = decoderOutputs(await session.request({ op: 'decode', model: 'vae', Z }), rows, test.cols);
    for (let i = 0; i < rows; i++) {
      const t = elboFromOutputs(x.subarray(i * test.cols, (i + 1) * test.cols), mu[i], logvar[i], decoded[i]);
      sums.elbo += t.elbo;
      sums.reconstruction += t.reconstruction;
      sums.kl += t.kl;
    }
  }
  return { elbo: sums.elbo / test.rows, reconstruction: sums.reconstruction / test.rows, kl: sums.kl / test.rows };
}

export async function vaePeerFit(
  session: ImplSession,
  split: { readonly train: Dataset; readonly test: Dataset },
  config: VaeTrainConfig,
  seeds: Seeds,
): Promise<Record<string, number>> {
  const why = refusal(config);
  if (why) throw new Error(why);
  const { architecture: a, train, test } = { ...config, ...split };
  const params = {
    latent: a.latent,
    hidden: a.hidden,
    likelihood: a.likelihood,
    epochs: config.epochs,
    lr: config.adam.learningRate,
    batch: config.batchSize,
    seed: seeds.init,
  };
  const X = await session.load(train.x.subarray(0, train.rows * train.cols), [train.rows, train.cols]);
  const trace = numbers(await session.request({ op: 'fit', model: 'vae', X, params }), 'elbo_trace', config.epochs);
  // Our fit evaluates the test set with this stream after its last epoch: the same noise here.
  const terms = await peerTestTerms(session, test, a.latent, deriveSeed(seeds.sampling, 'evaluation'));
  return {
    test_elbo: terms.elbo,
    test_reconstruction: terms.reconstruction,
    test_kl: terms.kl,
    train_elbo: trace[trace.length - 1],
  };
}
