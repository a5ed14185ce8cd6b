// `modelbench fit --model gan`: the trace, mode coverage, the float64 verdict, and refusals.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { modelbench } from '../helpers/cli.js';

describe('fit --model gan', () => {
  it('trains on ring8 and reports V, both losses, D outputs, modes captured and the float64 recomputation of V', () => {
    const r = modelbench(['fit', '--model', 'gan', '--data', 'ring8', '--steps', '40', '--hidden', '16', '--layers', '2', '--batch', '64', '--eval-every', '20', '--eval-samples', '500', '--backend', 'wasm', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.trace.length, 2);
    for (const key of ['value', 'g_loss_nonsaturating', 'g_loss_minimax', 'd_real', 'd_fake', 'modes_captured', 'high_quality']) assert.ok(Number.isFinite(report[key]), key);
    assert.equal(report.modes, 8);
    assert.ok(report.judged_relative_error <= 1e-3, `${report.judged_relative_error}`);
    assert.match(r.stderr, /\[40\/40\] step 40: V -?\d/);
  });

  it('reports the JSD of the fitted Gaussian on gauss1d', () => {
    const r = modelbench(['fit', '--model', 'gan', '--data', 'gauss1d', '--steps', '20', '--hidden', '8', '--layers', '1', '--noise', '1', '--backend', 'wasm', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.ok(report.jsd_fitted_gaussian >= 0 && report.jsd_fitted_gaussian <= Math.log(2));
  });

  it('refuses an unknown generator loss and a beta outside (0, 1)', () => {
    const a = modelbench(['fit', '--model', 'gan', '--data', 'ring8', '--loss', 'wasserstein']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /--loss must be nonsaturating or minimax, got 'wasserstein'/);
    const b = modelbench(['fit', '--model', 'gan', '--data', 'ring8', '--beta1', '1.5']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /--beta1 must be in \(0, 1\)/);
  });

  it('reports divergence as such (exit 1), not as converged, when the losses blow up', () => {
    const r = modelbench(['fit', '--model', 'gan', '--data', 'ring8', '--lr', '100', '--steps', '20', '--backend', 'wasm', '--json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.converged, false);
    assert.match(report.message, /^diverged: V = -?[\d.e+]+ .*lower --lr/);
  });
});
