// The tfjs VAE against the float64 oracle: its ELBO on every CPU backend, its reparameterised
// gradient, its training on the linear-Gaussian model (exact log p(x)) and its determinism. The
// one-epoch training on the full Fashion-MNIST (about 40 s of wasm) is in fashion-mnist.slow.test.ts.
import assert from 'node:assert/strict';
import { fc, test } from '@fast-check/vitest';
import { it } from 'vitest';
import { loadFashionMnistFixture } from '../../../src/data/fashion-mnist.js';
import type { VaeArchitecture } from '../../../src/models/vae/architecture.js';
import { vae } from '../../../src/models/vae/index.js';
import { linearGaussianModel } from '../../../src/models/vae/linear-gaussian.js';
import { ADAM_DEFAULTS, createVae, elboTerms, evaluateElbo, noise, readParameters } from '../../../src/models/vae/model.js';
import { linearGaussianElbo } from '../../../src/models/vae/objective.js';
import { oracleElbo, oracleEncode } from '../../../src/models/vae/oracle-network.js';
import { trainVae } from '../../../src/models/vae/train.js';
import { DEFAULT_BASE_SEED, Rng, seedsFrom } from '../../../src/seeds.js';
import { describeEachBackend } from '../../helpers/each-backend.js';
import { PROPERTY_SEED, runsOf } from '../../helpers/seeds.js';
import { brokenKlWrongSign } from './broken-oracles.js';

/** After 60 epochs on 4096 rows, the test ELBO sits within this many nats of the exact mean log p(x)
 *  (measured gap 0.09: the encoder's posterior gap plus single-sample noise), the IWAE(100) within 0.03. */
const LINEAR_GAUSSIAN_ELBO_GAP = 0.15;
const LINEAR_GAUSSIAN_IWAE_GAP = 0.03;

const smallArchitecture = fc.record({
  input: fc.integer({ min: 2, max: 12 }),
  hidden: fc.integer({ min: 0, max: 9 }),
  latent: fc.integer({ min: 1, max: 4 }),
  likelihood: fc.constantFrom('bernoulli' as const, 'gaussian' as const),
  gaussianVariance: fc.oneof(fc.constant('learned' as const), fc.double({ min: 0.05, max: 3, noNaN: true })),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  rows: fc.integer({ min: 1, max: 9 }),
});

function uniformRows(rows: number, cols: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: rows * cols }, () => rng.uniform());
}

describeEachBackend('VAE', (backend) => {
  it('its reparameterised gradient matches finite differences of the exact expected ELBO (linear-Gaussian)', async () => {
    const D = 5;
    const L = 2;
    const lg = linearGaussianModel(D, L, 0.3, 11);
    const architecture: VaeArchitecture = { input: D, hidden: 0, latent: L, likelihood: 'gaussian', gaussianVariance: lg.s2 };
    const net = createVae(backend.tf, architecture, 1);
    const qMean = [0.4, -0.7];
    const qLogvar = [-0.5, 0.2];
    const x = Float64Array.from([0.5, -1, 2, 0.1, -0.3]);
    // Encoder: weights 0, biases = q's parameters, so q(z|x) is exactly N(qMean, exp(qLogvar)).
    backend.tf.tidy(() => {
      net.params.get('mu.w')!.assign(backend.tf.zeros([D, L]));
      net.params.get('logvar.w')!.assign(backend.tf.zeros([D, L]));
      net.params.get('mu.b')!.assign(backend.tf.tensor1d(qMean));
      net.params.get('logvar.b')!.assign(backend.tf.tensor1d(qLogvar));
      net.params.get('out.w')!.assign(backend.tf.tensor2d(Array.from({ length: L * D }, (_, j) => lg.W[(j % D) * L + Math.floor(j / D)]), [L, D]));
      net.params.get('out.b')!.assign(backend.tf.tensor1d(Array.from(lg.b)));
    });
    const batches = 10;
    const perBatch = 4000;
    const rng = new Rng(PROPERTY_SEED);
    const xs = backend.tf.tensor2d(Float32Array.from({ length: perBatch * D }, (_, i) => x[i % D]), [perBatch, D]);
    const targets = ['mu.b', 'logvar.b'].map((n) => net.params.get(n)!);
    const means: number[][] = [];
    for (let b = 0; b < batches; b++) {
      const eps = backend.tf.tensor2d(noise(rng, perBatch, L), [perBatch, L]);
      // The loss and the ELBO's other terms are intermediates: only the two gradients leave the tidy.
      const both = backend.tf.tidy(() => {
        const { grads } = backend.tf.variableGrads(() => backend.tf.mean(elboTerms(backend.tf, net, xs, eps).elbo) as never, targets);
        return backend.tf.concat([grads[targets[0].name], grads[targets[1].name]]);
      });
      means.push([...(await both.data())]);
      backend.tf.dispose([eps, both]);
    }
    xs.dispose();
    net.dispose();
    const h = 1e-5;
    const params = [...qMean, ...qLogvar];
    const exactElbo = (p: number[]) => linearGaussianElbo(lg, x, p.slice(0, L), p.slice(L));
    for (let j = 0; j < params.length; j++) {
      const up = params.slice();
      const down = params.slice();
      up[j] += h;
      down[j] -= h;
      const fd = (exactElbo(up) - exactElbo(down)) / (2 * h);
      const samples = means.map((m) => m[j]);
      const mean = samples.reduce((a, b) => a + b, 0) / batches;
      const se = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (batches - 1) / batches);
      assert.ok(Math.abs(mean - fd) <= 4 * se + 1e-3 * Math.abs(fd) + 1e-4, `parameter ${j}: reparameterised ${mean} +- ${se}, finite difference ${fd}`);
    }
  });


  test.prop([smallArchitecture], runsOf(40))('its per-example ELBO equals the float64 network and formulas for random small networks', async ({ seed, rows, ...a }) => {
    const architecture: VaeArchitecture = a;
    const net = createVae(backend.tf, architecture, seed);
    const rng = new Rng(seed);
    const x = uniformRows(rows, a.input, rng);
    const eps = noise(rng, rows, a.latent);
    const model = await evaluateElbo(backend.tf, net, x, eps, rows);
    const oracle = oracleElbo(architecture, await readParameters(net), x, eps, rows);
    net.dispose();
    return oracle.every((o, i) => Math.abs(model.elbo[i] - o.elbo) <= backend.tolerance * Math.max(1, Math.abs(o.elbo)));
  });

  it('the same comparison catches an oracle with the wrong sign of the KL log-variance', async () => {
    const architecture: VaeArchitecture = { input: 6, hidden: 5, latent: 3, likelihood: 'bernoulli', gaussianVariance: 'learned' };
    const net = createVae(backend.tf, architecture, 3);
    const rng = new Rng(4);
    const x = uniformRows(4, 6, rng);
    const eps = noise(rng, 4, 3);
    const model = await evaluateElbo(backend.tf, net, x, eps, 4);
    const params = await readParameters(net);
    net.dispose();
    const oracle = oracleElbo(architecture, params, x, eps, 4);
    const broken = oracle.map((o, i) => {
      const { mu, logvar } = oracleEncode(architecture, params, x.subarray(i * 6, (i + 1) * 6));
      return o.reconstruction - brokenKlWrongSign(mu, logvar);
    });
    const matches = (values: number[]) => values.every((v, i) => Math.abs(model.elbo[i] - v) <= backend.tolerance * Math.max(1, Math.abs(v)));
    assert.ok(matches(oracle.map((o) => o.elbo)));
    assert.ok(!matches(broken));
  });

});

// Training runs take seconds to minutes: they run on the fastest CPU backend only.
describeEachBackend('VAE training', (backend) => {


  it(`recovers the exact log p(x) of linear-Gaussian data: ELBO within ${LINEAR_GAUSSIAN_ELBO_GAP}, IWAE within ${LINEAR_GAUSSIAN_IWAE_GAP} nats`, async () => {
    const seeds = seedsFrom(DEFAULT_BASE_SEED);
    const data = vae.namedData!['linear-gaussian'].load(seeds);
    const summary = await vae.fit(backend.tf, data, { likelihood: 'gaussian', hidden: '0', latent: '2', epochs: '60', lr: '1e-2' }, seeds);
    const exact = data.reference!.exact_test_log_px;
    const elbo = summary.parameters.test_elbo as number;
    const iwae = summary.parameters.test_iwae as number;
    assert.ok(elbo <= exact + 0.02 && exact - elbo <= LINEAR_GAUSSIAN_ELBO_GAP, `test ELBO ${elbo}, exact log p(x) ${exact}`);
    assert.ok(Math.abs(iwae - exact) <= LINEAR_GAUSSIAN_IWAE_GAP, `test IWAE ${iwae}, exact log p(x) ${exact}`);
    const trace = summary.trace!;
    assert.ok(trace[trace.length - 1].test_elbo > trace[0].test_elbo, 'training raised the ELBO');
  });
}, { only: ['wasm'] });

describeEachBackend(
  'VAE training is deterministic',
  (backend) => {
    it('gives the same numbers from the same seeds, run to run', async () => {
      const { train, test } = loadFashionMnistFixture();
      const small = { ...train, rows: 256, x: train.x.subarray(0, 256 * 784) };
      const smallTest = { ...test, rows: 64, x: test.x.subarray(0, 64 * 784) };
      const config = { architecture: { input: 784, hidden: 64, latent: 8, likelihood: 'bernoulli' as const, gaussianVariance: 'learned' as const }, adam: ADAM_DEFAULTS, epochs: 1, batchSize: 64, iwaeSamples: 4, iwaeExamples: 16 };
      const runs = [];
      for (let r = 0; r < 2; r++) {
        const result = await trainVae(backend.tf, small, smallTest, config, seedsFrom(DEFAULT_BASE_SEED));
        result.network.dispose();
        runs.push([result.trace[0].train_elbo, result.testElbo, result.testIwae]);
      }
      assert.deepEqual(runs[0], runs[1]);
    });
  },
  // The README promises identical numbers run to run on cpu; other backends are not held to bitwise repeatability.
  { only: ['cpu'] },
);
