// `fit --seeds N [--impl NAME]`: quality as a distribution over seeds, ours beside an implementation
// under test trained the same way, and the one-sided test that says whether ours is worse.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'vitest';
import { compareMetric, summarise } from '../../src/cli/fit-seeds.js';
import { modelbench } from '../helpers/cli.js';
import { HAS_TORCH } from '../models/twin-peer.js';
import { REPO } from '../helpers/data.js';

/** The linear-Gaussian VAE (8-D data, 2 latent) for one epoch on cpu: a fit of a second or so on each side. */
const VAE_SMALL = ['--data', 'linear-gaussian', '--likelihood', 'gaussian', '--hidden', '0', '--latent', '2', '--backend', 'cpu'];
const SMALL = ['--data', 'ring8', '--steps', '30', '--hidden', '16', '--layers', '2', '--batch', '64', '--eval-every', '30', '--eval-samples', '500'];

describe('fit --seeds', () => {
  it('summarises a distribution: mean, median, range, sample sd', () => {
    assert.deepEqual(summarise([4, 1, 3, 2]), { n: 4, mean: 2.5, median: 2.5, min: 1, max: 4, sd: Math.sqrt(5 / 3) });
  });

  it('says ours is worse only when ours is stochastically worse in the measure’s bad direction, at p < 0.05', () => {
    const low = [1, 2, 2, 3, 1, 2, 3, 1, 2, 2];
    const high = [6, 7, 8, 6, 7, 8, 7, 6, 8, 7];
    assert.equal(compareMetric('modes', 'higher', low, high).verdict, 'ours worse');
    assert.equal(compareMetric('modes', 'higher', high, low).verdict, 'ours not worse');
    assert.equal(compareMetric('error', 'lower', high, low).verdict, 'ours worse');
    assert.equal(compareMetric('modes', 'higher', low, low).verdict, 'ours not worse');
    assert.equal(compareMetric('modes', 'higher', low, []).verdict, 'no comparison');
  });

  it.skipIf(!HAS_TORCH)('fits the GAN on several seeds, ours and PyTorch trained the same way, and reports both distributions (needs python3-torch)', () => {
    const r = modelbench(['fit', '--model', 'gan', ...SMALL, '--seeds', '2', '--seed', '5', '--impl', 'pytorch-1-thread', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.seeds, [5, 6]);
    assert.equal(report.ours.length, 2);
    assert.equal(report.implementation.name, 'pytorch-1-thread');
    assert.deepEqual(report.metrics.map((m: { metric: string }) => m.metric), ['modes_captured', 'high_quality']);
    for (const m of report.metrics) assert.ok(m.peer.n === 2 && m.pWorse >= 0 && m.pWorse <= 1, JSON.stringify(m));
  });

  it.skipIf(!HAS_TORCH)('fits the VAE on several seeds beside PyTorch, its test ELBO judged from its own encoder and decoder (needs python3-torch)', () => {
    const r = modelbench(['fit', '--model', 'vae', ...VAE_SMALL, '--seeds', '2', '--seed', '5', '--impl', 'pytorch-1-thread', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.seeds, [5, 6]);
    assert.deepEqual(report.metrics.map((m: { metric: string }) => m.metric), ['test_elbo']);
    const [m] = report.metrics;
    assert.ok(m.peer.n === 2 && m.pWorse >= 0 && m.pWorse <= 1, JSON.stringify(m));
    // The harness's float64 recomputation from the implementation's outputs: ELBO = reconstruction - KL, KL >= 0.
    for (const x of report.implementation.results) {
      assert.ok(Math.abs(x.test_elbo - (x.test_reconstruction - x.test_kl)) < 1e-9 && x.test_kl >= 0, JSON.stringify(x));
      assert.ok(Number.isFinite(x.test_elbo) && Number.isFinite(x.train_elbo), JSON.stringify(x));
    }
  });

  it.skipIf(!HAS_TORCH)('refuses to train an implementation with VAE settings the protocol cannot ask for, naming the option', () => {
    const r = modelbench(['fit', '--model', 'vae', ...VAE_SMALL, '--beta1', '0.5', '--seeds', '2', '--impl', 'pytorch-1-thread']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--beta1\/--beta2: the protocol's VAE fit takes no Adam betas/);
  });

  it('an implementation that fails a replicate is that replicate’s error, and the run still reports', () => {
    const broken = path.join(REPO, 'tests/impl/misbehaving/gan-dies.mjs');
    const r = modelbench(['fit', '--model', 'gan', ...SMALL, '--seeds', '2', '--impl', `broken=${broken}`, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.ok(report.implementation.results.every((x: { error?: string }) => typeof x.error === 'string'), JSON.stringify(report.implementation));
    assert.ok(report.metrics.every((m: { verdict: string }) => m.verdict === 'no comparison'));
  });

  it('refuses --seeds on a model judged by its optimum, and --impl without several seeds', () => {
    const a = modelbench(['fit', '--model', 'logreg', '--data', 'breast-cancer', '--seeds', '3']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /--seeds and --impl apply to models whose quality varies with the seed \(vae, gan\)/);
    const b = modelbench(['fit', '--model', 'gan', ...SMALL, '--impl', 'pytorch-1-thread']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /--impl compares distributions over seeds: give --seeds N/);
    const c = modelbench(['fit', '--model', 'gan', ...SMALL, '--seeds', '0']);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /--seeds must be a whole number from 1 to 1000, got '0'/);
  });
});
