// Conformance checks of a VAE: the ELBO it reports is recomputed from its own encoder and decoder
// outputs and the noise we send; its KL is the closed form; trained on linear-Gaussian data, its ELBO
// rises and approaches the exact log p(x).
import { linearGaussianSplit } from '../../models/vae/linear-gaussian.js';
import { elboFromOutputs, klToStandardNormal, logLikelihood } from '../../models/vae/objective.js';
import { implOutputs } from '../../models/vae/protocol-answer.js';
import { deriveSeed, DEFAULT_BASE_SEED, Rng } from '../../seeds.js';
import type { Dataset } from '../../types.js';
import type { ImplClient } from '../client.js';
import { numbers } from '../protocol.js';
import { rowsOf } from './datasets.js';
import type { Check, CheckResult } from './types.js';

const SEED = deriveSeed(DEFAULT_BASE_SEED, 'validate-vae');
const LATENT = 2;
/** float32 implementations: per-example ELBO terms of order 10 nats. */
const RECOMPUTATION_TOLERANCE = 1e-3;
/** After 60 epochs the test ELBO sits within this of the exact mean log p(x) (our reference: 0.09). */
const LOG_PX_GAP = 0.25;
const CHECK_ROWS = 64;

interface Split {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly exactTestLogPx: number;
}

function split(): Split {
  const { train } = linearGaussianSplit(SEED);
  return { train, test: train.heldOut!, exactTestLogPx: train.reference!.exact_test_log_px };
}

async function fitImpl(impl: ImplClient, data: Dataset, epochs: number): Promise<number[]> {
  const params = { latent: LATENT, likelihood: 'gaussian', epochs, hidden: 0, lr: 0.01, batch: 128, seed: 1 };
  return numbers(await impl.request({ op: 'fit', model: 'vae', X: rowsOf(data), params }), 'elbo_trace', epochs);
}

function noiseRows(rows: number, seed: string): number[][] {
  const rng = new Rng(deriveSeed(SEED, seed));
  return Array.from({ length: rows }, () => Array.from({ length: LATENT }, () => rng.normal()));
}

export const VAE_CHECKS: readonly Check[] = [
  {
    name: 'vae-elbo-recomputation',
    model: 'vae',
    description: 'the reported per-example ELBO equals log p(x|z) - KL recomputed from its own encode and decode outputs and the noise sent',
    async run({ impl }): Promise<CheckResult> {
      const s = split();
      await fitImpl(impl, s.train, 3);
      const X = rowsOf(s.test).slice(0, CHECK_ROWS);
      const eps = noiseRows(X.length, 'recomputation');
      const o = await implOutputs((m) => impl.request(m), X, eps, LATENT);
      const worst = Math.max(...X.map((x, i) => Math.abs(o.elbo[i] - elboFromOutputs(x, o.mu[i], o.logvar[i], o.decoded[i]).elbo) / Math.max(1, Math.abs(o.elbo[i]))));
      return { passed: worst <= RECOMPUTATION_TOLERANCE, measured: worst, expected: 0, tolerance: RECOMPUTATION_TOLERANCE, detail: `largest relative difference over ${X.length} examples ${worst.toExponential(2)}` };
    },
  },
  {
    name: 'vae-kl-closed-form',
    model: 'vae',
    description: 'the KL inside the reported ELBO (log p(x|z) - ELBO) equals 1/2 sum(mu^2 + sigma^2 - 1 - log sigma^2)',
    async run({ impl }) {
      const s = split();
      await fitImpl(impl, s.train, 3);
      const X = rowsOf(s.test).slice(0, CHECK_ROWS);
      const eps = noiseRows(X.length, 'kl');
      const o = await implOutputs((m) => impl.request(m), X, eps, LATENT);
      const worst = Math.max(...X.map((x, i) => Math.abs(logLikelihood(x, o.decoded[i]) - o.elbo[i] - klToStandardNormal(o.mu[i], o.logvar[i])) / Math.max(1, klToStandardNormal(o.mu[i], o.logvar[i]))));
      return { passed: worst <= RECOMPUTATION_TOLERANCE, measured: worst, expected: 0, tolerance: RECOMPUTATION_TOLERANCE, detail: `largest relative difference of the implied KL ${worst.toExponential(2)}` };
    },
  },
  {
    name: 'vae-training-raises-elbo',
    model: 'vae',
    description: 'training on linear-Gaussian data (8 dimensions, 2 latent) raises the mean training ELBO from the first epoch to the last',
    async run({ impl }) {
      const trace = await fitImpl(impl, split().train, 20);
      const gain = trace[trace.length - 1] - trace[0];
      return { passed: gain > 0, measured: trace[trace.length - 1], expected: trace[0], detail: `ELBO ${trace[0].toFixed(4)} -> ${trace[trace.length - 1].toFixed(4)} over ${trace.length} epochs` };
    },
  },
  {
    name: 'vae-approaches-log-px',
    model: 'vae',
    description: `after 60 epochs the mean test ELBO is below the exact log p(x) of the linear-Gaussian model and within ${LOG_PX_GAP} nats of it`,
    async run({ impl }) {
      const s = split();
      await fitImpl(impl, s.train, 60);
      const X = rowsOf(s.test);
      const elbo = numbers(await impl.request({ op: 'elbo', model: 'vae', X, eps: noiseRows(X.length, 'log-px') }), 'elbo', X.length);
      const mean = elbo.reduce((a, b) => a + b, 0) / X.length;
      const sd = Math.sqrt(elbo.reduce((a, b) => a + (b - mean) ** 2, 0) / X.length);
      // A single-sample estimate: it may exceed log p(x) by its standard error, never by more.
      const above = mean - s.exactTestLogPx > 4 * sd / Math.sqrt(X.length);
      const gap = s.exactTestLogPx - mean;
      return { passed: !above && gap <= LOG_PX_GAP, measured: mean, expected: s.exactTestLogPx, tolerance: LOG_PX_GAP, detail: `mean test ELBO ${mean.toFixed(4)}, exact log p(x) ${s.exactTestLogPx.toFixed(4)}${above ? ' (ELBO above log p(x): impossible)' : ''}` };
    },
  },
];
