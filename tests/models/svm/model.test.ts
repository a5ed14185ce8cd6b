import assert from 'node:assert/strict';
import { it } from 'vitest';
import { readLabelledCsv } from '../../../src/data/csv-table.js';
import { logisticData } from '../../../src/data/synthetic.js';
import { certify } from '../../../src/models/svm/certificate.js';
import { problemOf, svmConfig } from '../../../src/models/svm/config.js';
import { checkMemory, fitSvm } from '../../../src/models/svm/model.js';
import { primalFromDual } from '../../../src/models/svm/objective.js';
import { Rng } from '../../../src/seeds.js';
import type { Dataset } from '../../../src/types.js';
import { BREAST_CANCER, REPO } from '../../helpers/data.js';
import { describeEachBackend } from '../../helpers/each-backend.js';
import fs from 'node:fs';

const GOLDEN = JSON.parse(fs.readFileSync(`${REPO}/fixtures/breast-cancer/golden.json`, 'utf8'));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Two Gaussian blobs 6 apart along the first axis: separable with a wide gap. */
function separable(rows: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = i % 2;
    x[2 * i] = (y[i] ? 3 : -3) + 0.5 * rng.normal();
    x[2 * i + 1] = rng.normal();
  }
  return { name: 'blobs', rows, cols: 2, x, y, featureNames: ['a', 'b'] };
}

function subset(d: Dataset, keep: (i: number) => boolean): Dataset {
  const idx = [...Array(d.rows).keys()].filter(keep);
  return { ...d, rows: idx.length, x: Float64Array.from(idx.flatMap((i) => Array.from(d.x.subarray(i * d.cols, (i + 1) * d.cols)))), y: Float64Array.from(idx, (i) => d.y[i]) };
}

describeEachBackend('SVM', (backend) => {
  it('breast cancer, linear, C = 1: primal within 1e-4 of libsvm, same support vectors count, gap certified', async () => {
    const data = readLabelledCsv(BREAST_CANCER);
    const config = svmConfig(data, { C: '1' });
    const r = await fitSvm(backend.tf, data, config);
    const c = certify(problemOf(data, config), r.alpha, r.bias);
    assert.ok(r.converged, r.message);
    assert.ok(rel(c.primal, GOLDEN.svm_linear.primal_objective) <= 1e-4, `P ${c.primal}`);
    assert.ok(c.primal <= GOLDEN.svm_linear.primal_objective, 'at least as good as libsvm at its default tolerance');
    assert.ok(rel(c.dual, GOLDEN.svm_linear.dual_objective) <= 1e-4, `D ${c.dual}`);
    assert.equal(c.nSupport, GOLDEN.svm_linear.n_support);
    assert.equal(c.nBounded, GOLDEN.svm_linear.n_bounded);
    assert.ok(c.gap / c.primal <= 1e-6 && c.gap >= -1e-9, `gap ${c.gap}`);
    assert.ok(c.kkt <= 1e-4, `KKT ${c.kkt}`);
  });

  it('breast cancer, RBF gamma 1/30: dual within 1e-4 of libsvm svm-train -t 2', async () => {
    const data = readLabelledCsv(BREAST_CANCER);
    const config = svmConfig(data, { kernel: 'rbf', gamma: String(1 / 30) });
    const r = await fitSvm(backend.tf, data, config);
    const c = certify(problemOf(data, config), r.alpha, r.bias);
    assert.ok(rel(c.dual, GOLDEN.svm_rbf.dual_objective) <= 1e-4, `D ${c.dual}`);
    assert.equal(c.nSupport, GOLDEN.svm_rbf.n_support);
    assert.ok(rel(r.bias, -GOLDEN.svm_rbf.rho) <= 1e-3);
  });

  it('a tolerance below what float32 gradients resolve stops as stalled within a few hundred iterations, not at the iteration cap', async () => {
    // Regression: with --tol 1e-6 the confirm-on-fresh-gradient path refreshed every step and never ran
    // the stall test, so RBF breast cancer ran 100000 outer iterations (4 minutes) before stopping.
    const data = readLabelledCsv(BREAST_CANCER);
    const r = await fitSvm(backend.tf, data, svmConfig(data, { kernel: 'rbf', gamma: String(1 / 30), tol: '1e-6' }));
    assert.ok(r.iterations < 1000, `${r.iterations} iterations: ${r.message}`);
    assert.ok(r.converged || /stalled at gap/.test(r.message), r.message);
  });

  it('separable data with a large C: every margin holds and the width is 2/||w||', async () => {
    const data = separable(60, 3);
    const config = svmConfig(data, { C: '1e4' });
    const r = await fitSvm(backend.tf, data, config);
    const w = r.weights!;
    const norm = Math.hypot(...w);
    const f = (i: number) => w[0] * data.x[2 * i] + w[1] * data.x[2 * i + 1] + r.bias;
    let closestPos = Infinity;
    let closestNeg = -Infinity;
    for (let i = 0; i < data.rows; i++) {
      const t = data.y[i] ? 1 : -1;
      assert.ok(t * f(i) >= 1 - 1e-5, `row ${i} margin ${t * f(i)}`);
      if (t > 0) closestPos = Math.min(closestPos, f(i));
      else closestNeg = Math.max(closestNeg, f(i));
    }
    assert.ok(Math.abs((closestPos - closestNeg) / norm - 2 / norm) <= 1e-4 * (2 / norm));
  });

  it('hard margin (C = inf) fits separable data and refuses data that is not separable', async () => {
    const data = separable(40, 4);
    const r = await fitSvm(backend.tf, data, svmConfig(data, { C: 'inf' }));
    assert.ok(r.converged);
    const overlapping = logisticData(80, 2, 5);
    await assert.rejects(() => fitSvm(backend.tf, overlapping, svmConfig(overlapping, { C: 'inf' })), /not separable by a hyperplane, so the hard-margin SVM \(C = inf\) has no solution/);
  });

  it('permuting the rows does not change the solution', async () => {
    const data = logisticData(150, 4, 6);
    const order = [...Array(data.rows).keys()].reverse();
    const permuted = { ...data, x: Float64Array.from(order.flatMap((i) => Array.from(data.x.subarray(i * 4, i * 4 + 4)))), y: Float64Array.from(order, (i) => data.y[i]) };
    const config = svmConfig(data, {});
    const a = await fitSvm(backend.tf, data, config);
    const b = await fitSvm(backend.tf, permuted, config);
    // Both stop at a gap of 1e-5, from different paths: the same solution to about that accuracy.
    a.weights!.forEach((v, k) => assert.ok(Math.abs(v - b.weights![k]) <= 1e-3 * Math.max(1, Math.abs(v)), `w${k}: ${v} vs ${b.weights![k]}`));
    assert.ok(Math.abs(a.bias - b.bias) <= 1e-3 * Math.max(1, Math.abs(a.bias)));
  });

  it('deleting a point far outside the margin does not change the solution', async () => {
    const data = logisticData(150, 3, 7);
    const config = svmConfig(data, {});
    const a = await fitSvm(backend.tf, data, config);
    const margins = [...Array(data.rows).keys()].map((i) => a.t[i] * (a.weights!.reduce((s, w, k) => s + w * data.x[i * 3 + k], 0) + a.bias));
    const far = margins.indexOf(Math.max(...margins));
    assert.ok(margins[far] > 1.5 && a.alpha[far] === 0);
    const b = await fitSvm(backend.tf, subset(data, (i) => i !== far), config);
    a.weights!.forEach((v, k) => assert.ok(Math.abs(v - b.weights![k]) <= 1e-3 * Math.max(1, Math.abs(v))));
  });

  it('KKT holds per point type and the dual stays feasible on random data', async () => {
    for (const seed of [8, 9, 10]) {
      const data = logisticData(200, 5, seed);
      for (const kernel of ['linear', 'rbf']) {
        const config = svmConfig(data, { kernel, tol: '1e-6' });
        const r = await fitSvm(backend.tf, data, config);
        const c = certify(problemOf(data, config), r.alpha, r.bias);
        assert.ok(c.kkt <= 1e-4, `${kernel} seed ${seed}: KKT ${c.kkt}`);
        assert.ok(c.infeasibility <= 1e-9, `infeasible by ${c.infeasibility}`);
        assert.ok(c.gap >= -1e-8 && c.gap / c.primal <= 1e-5, `gap ${c.gap}`);
        // The certificate's fused primal equals the oracle's primal from the dual, term by term.
        const p = problemOf(data, config);
        assert.ok(Math.abs(c.primal - primalFromDual(p, r.alpha, r.bias)) <= 1e-9 * c.primal);
      }
    }
  });

  it('refuses a problem whose blocks exceed memory, naming the size', () => {
    assert.throws(() => checkMemory(1e9, 100, 64, 24 * 2 ** 30), /the data \(1000000000 x 100 float32\) needs 372\.53 GiB, over the 6\.00 GiB/);
  });

  it('fit disposes every tensor it makes', async () => {
    const data = logisticData(100, 3, 11);
    const before = backend.tf.memory().numTensors;
    await fitSvm(backend.tf, data, svmConfig(data, { kernel: 'rbf' }));
    assert.equal(backend.tf.memory().numTensors, before);
  });
});
