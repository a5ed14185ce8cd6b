// Properties of the float64 VAE oracle, each shown to catch a deliberately broken twin.
import assert from 'node:assert/strict';
import { fc, test } from '@fast-check/vitest';
import { describe, it } from 'vitest';
import { linearGaussianModel } from '../../../src/models/vae/linear-gaussian.js';
import {
  bernoulliLogLikelihood,
  elboFromOutputs,
  iwaeBound,
  klToStandardNormal,
  linearGaussianDecoder,
  linearGaussianElbo,
  linearGaussianLogMarginal,
  linearGaussianPosterior,
  logNormalDiag,
  reparameterise,
  type LinearGaussian,
} from '../../../src/models/vae/objective.js';
import { Rng } from '../../../src/seeds.js';
import { PROPERTY_SEED, runsOf } from '../../helpers/seeds.js';
import { brokenKlMissingHalf, brokenKlWrongSign, brokenLogMarginalForgetsNoise, naiveBernoulliLogLikelihood } from './broken-oracles.js';

/** Float64 identities hold to round-off: a few hundred operations on values of order 1-100. */
const FLOAT64_RTOL = 1e-10;
/** Monte-Carlo comparisons pass within this many standard errors (false alarm ~6e-5 per comparison). */
const MC_SIGMAS = 4;

const vector = (n: number, range: number) => fc.array(fc.double({ min: -range, max: range, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n });
const gaussianQ = fc.integer({ min: 1, max: 6 }).chain((n) => fc.record({ mu: vector(n, 3), logvar: vector(n, 2) }));

/** Mean and standard error of the Monte-Carlo KL: E_q[log q(z) - log p(z)]. */
function monteCarloKl(kl: { mu: number[]; logvar: number[] }, samples: number, rng: Rng): { mean: number; se: number } {
  const zeros = new Array(kl.mu.length).fill(0);
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < samples; i++) {
    const eps = kl.mu.map(() => rng.normal());
    const z = reparameterise(kl.mu, kl.logvar, eps);
    const v = logNormalDiag(z, kl.mu, kl.logvar) - logNormalDiag(z, zeros, zeros);
    s += v;
    s2 += v * v;
  }
  const mean = s / samples;
  return { mean, se: Math.sqrt((s2 / samples - mean * mean) / samples) };
}

/** A linear-Gaussian model whose W has orthogonal columns, so the exact posterior is diagonal. */
function orthogonalModel(D: number, L: number, s2: number, seed: number): LinearGaussian {
  const rng = new Rng(seed);
  const W = new Float64Array(D * L);
  const cols: Float64Array[] = [];
  for (let k = 0; k < L; k++) {
    const c = Float64Array.from({ length: D }, () => rng.normal());
    for (const prev of cols) {
      let dot = 0;
      for (let i = 0; i < D; i++) dot += c[i] * prev[i];
      for (let i = 0; i < D; i++) c[i] -= dot * prev[i];
    }
    const norm = Math.hypot(...c);
    for (let i = 0; i < D; i++) c[i] /= norm;
    cols.push(c);
    const scale = 0.5 + 2 * rng.uniform();
    for (let i = 0; i < D; i++) W[i * L + k] = scale * c[i];
  }
  const b = Float64Array.from({ length: D }, () => rng.normal());
  return { W, b, s2, D, L };
}

/** A seed for the Monte-Carlo draws of one case, so a failing case replays with its own noise. */
const mcSeed = fc.integer({ min: 0, max: 2 ** 31 });

const modelAndPoint = fc.record({ D: fc.integer({ min: 2, max: 8 }), L: fc.integer({ min: 1, max: 3 }), s2: fc.double({ min: 0.05, max: 2, noNaN: true }), seed: fc.integer({ min: 0, max: 2 ** 31 }) })
  .filter((r) => r.L <= r.D)
  .map((r) => {
    const model = linearGaussianModel(r.D, r.L, r.s2, r.seed);
    const rng = new Rng(r.seed + 1);
    const x = Float64Array.from({ length: r.D }, () => 2 * rng.normal());
    return { ...r, model, x };
  });

describe('VAE oracle: the closed-form KL', () => {
  test.prop([gaussianQ])('is >= 0', ({ mu, logvar }) => klToStandardNormal(mu, logvar) >= 0);

  it('is 0 exactly at mu = 0, sigma = 1', () => {
    for (let n = 1; n <= 30; n++) assert.equal(klToStandardNormal(new Array(n).fill(0), new Array(n).fill(0)), 0);
  });

  test.prop([gaussianQ, mcSeed], runsOf(50))('equals its Monte-Carlo estimate within its standard error', (q, seed) => {
    const mc = monteCarloKl(q, 4000, new Rng(seed));
    return Math.abs(klToStandardNormal(q.mu, q.logvar) - mc.mean) <= MC_SIGMAS * mc.se + 1e-9;
  });

  it('catches a KL with the wrong sign of the log-variance and one missing its 1/2', () => {
    assert.ok(fc.check(fc.property(gaussianQ, ({ mu, logvar }) => brokenKlWrongSign(mu, logvar) >= 0)).failed);
    const rng = new Rng(PROPERTY_SEED);
    const q = { mu: [0.7, -1.2], logvar: [0.3, -0.8] };
    const mc = monteCarloKl(q, 20000, rng);
    assert.ok(Math.abs(brokenKlMissingHalf(q.mu, q.logvar) - mc.mean) > MC_SIGMAS * mc.se);
  });
});

describe('VAE oracle: likelihoods', () => {
  it('the Bernoulli log-likelihood from logits stays finite for logits up to 1e4 in magnitude; the naive form does not', () => {
    const logits = [1e4, -1e4, 50, -50];
    const x = [0, 1, 0.3, 0.7];
    assert.ok(Number.isFinite(bernoulliLogLikelihood(x, logits)));
    assert.ok(!Number.isFinite(naiveBernoulliLogLikelihood(x, logits)));
  });
});

describe('VAE oracle: the linear-Gaussian model', () => {
  test.prop([modelAndPoint, vector(3, 2), vector(3, 1.5)])('ELBO <= log p(x) for random diagonal encoders', ({ model, x }, m, lv) => {
    const qMean = m.slice(0, model.L);
    const qLogvar = lv.slice(0, model.L);
    return linearGaussianElbo(model, x, qMean, qLogvar) <= linearGaussianLogMarginal(model, x) + 1e-9;
  });

  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 2, max: 8 }), fc.double({ min: 0.05, max: 2, noNaN: true })])(
    'ELBO = log p(x) at the exact posterior when W has orthogonal columns',
    (seed, D, s2) => {
      const model = orthogonalModel(D, Math.min(3, D), s2, seed);
      const x = Float64Array.from({ length: D }, (_, i) => Math.sin(seed + i));
      const post = linearGaussianPosterior(model, x);
      const exact = linearGaussianLogMarginal(model, x);
      return post.diagonal && Math.abs(linearGaussianElbo(model, x, post.mean, post.logvar) - exact) <= FLOAT64_RTOL * Math.max(1, Math.abs(exact));
    },
  );

  it('catches a marginal that forgets the noise covariance (ELBO would exceed it)', () => {
    const failure = fc.check(
      fc.property(modelAndPoint, ({ model, x }) => {
        const post = linearGaussianPosterior(model, x);
        return linearGaussianElbo(model, x, post.mean, post.logvar) <= brokenLogMarginalForgetsNoise(model, x) + 1e-9;
      }),
    );
    assert.ok(failure.failed);
  });

  test.prop([modelAndPoint, mcSeed], runsOf(40))('the single-sample ELBO formula averages to the exact expectation within its standard error', ({ model, x }, seed) => {
    const rng = new Rng(seed);
    const qMean = Array.from({ length: model.L }, () => rng.normal());
    const qLogvar = Array.from({ length: model.L }, () => 0.5 * rng.normal());
    const decoder = linearGaussianDecoder(model);
    const n = 4000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const eps = qMean.map(() => rng.normal());
      const v = elboFromOutputs(x, qMean, qLogvar, decoder(reparameterise(qMean, qLogvar, eps))).elbo;
      s += v;
      s2 += v * v;
    }
    const mean = s / n;
    const se = Math.sqrt((s2 / n - mean * mean) / n);
    return Math.abs(mean - linearGaussianElbo(model, x, qMean, qLogvar)) <= MC_SIGMAS * se + 1e-9;
  });

  it('the IWAE bound rises with k towards log p(x)', () => {
    const rng = new Rng(PROPERTY_SEED);
    const model = linearGaussianModel(6, 2, 0.2, 7);
    const x = Float64Array.from([1, -0.5, 0.3, 2, -1, 0.4]);
    const exact = linearGaussianLogMarginal(model, x);
    const post = linearGaussianPosterior(model, x);
    // A deliberately poor encoder: the exact mean shifted and the variance doubled.
    const qMean = Array.from(post.mean, (m) => m + 0.3);
    const qLogvar = Array.from(post.logvar, (v) => v + Math.log(2));
    const decoder = linearGaussianDecoder(model);
    // Each k gets the same 20000 importance samples in all, split into 20000 / k bounds.
    const meanBound = (k: number) => {
      const repeats = Math.round(20000 / k);
      const v: number[] = [];
      for (let r = 0; r < repeats; r++) v.push(iwaeBound(x, qMean, qLogvar, Array.from({ length: k }, () => qMean.map(() => rng.normal())), decoder));
      const mean = v.reduce((a, b) => a + b, 0) / repeats;
      const se = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats / repeats);
      return { mean, se };
    };
    const ks = [1, 4, 16, 64, 256];
    const bounds = ks.map(meanBound);
    const text = bounds.map((b, i) => `k=${ks[i]}: ${b.mean.toFixed(4)} +- ${b.se.toFixed(4)}`).join(', ');
    // Consecutive k up to 64 differ by >= 0.2 nats here, ~10 standard errors; 64 -> 256 by less, so it is not compared.
    for (let i = 1; i < 4; i++) assert.ok(bounds[i].mean - bounds[i - 1].mean > MC_SIGMAS * Math.hypot(bounds[i].se, bounds[i - 1].se), `${text}; log p(x) = ${exact}`);
    const last = bounds[bounds.length - 1];
    assert.ok(last.mean <= exact + MC_SIGMAS * last.se, `${text}; log p(x) = ${exact}`);
    assert.ok(exact - last.mean < 0.1 * (exact - bounds[0].mean), `${text}: k = 256 should close 90% of the gap to log p(x) = ${exact}`);
  });
});
