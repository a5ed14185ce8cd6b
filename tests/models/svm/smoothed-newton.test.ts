// The linear SVM's Newton start on the smoothed primal: on random, ill-scaled data its dual point is
// feasible and reaches a tight relative duality gap, and what it reports (primal, dual, gap) is what
// the oracle's float64 certificate says of that point; the intercept it picks minimises the primal.
import assert from 'node:assert/strict';
import { fc, test } from '@fast-check/vitest';
import { it } from 'vitest';
import { logisticData } from '../../../src/data/synthetic.js';
import { certify } from '../../../src/models/svm/certificate.js';
import { hingeMinimisingInterval } from '../../../src/models/svm/intercept.js';
import { fitSvm, signs } from '../../../src/models/svm/model.js';
import { svmConfig } from '../../../src/models/svm/config.js';
import type { SvmProblem } from '../../../src/models/svm/objective.js';
import { smoothedNewton } from '../../../src/models/svm/smoothed-newton.js';
import { Rng } from '../../../src/seeds.js';
import type { Dataset } from '../../../src/types.js';
import { describeEachBackend } from '../../helpers/each-backend.js';
import { runsOf } from '../../helpers/seeds.js';

/** Two overlapping, unbalanced classes; feature k scaled by 10^(maxExponent u_k). */
function illScaled(seed: number, rows: number, cols: number, maxExponent: number): Dataset {
  const rng = new Rng(seed);
  const scales = Array.from({ length: cols }, () => 10 ** (maxExponent * rng.uniform()));
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = rng.uniform() < 0.4 ? 1 : 0;
    const sign = y[i] ? 1 : -1;
    for (let k = 0; k < cols; k++) x[i * cols + k] = scales[k] * (0.5 * sign * (k === 0 ? 1 : 0.3) + rng.normal());
  }
  return { name: 'ill-scaled', rows, cols, x, y, featureNames: Array.from({ length: cols }, (_, k) => `x${k}`) };
}

function problem(data: Dataset, C: number): SvmProblem {
  return { x: data.x, t: signs(data.y), rows: data.rows, cols: data.cols, C, kernel: { type: 'linear' } };
}

/** The oracle's verdict on a Newton start: feasibility exactly, and its report matching the certificate. */
function checkAgainstOracle(p: SvmProblem, r: Awaited<ReturnType<typeof smoothedNewton>>): void {
  let balance = 0;
  for (let i = 0; i < p.rows; i++) {
    assert.ok(r.alpha[i] >= 0 && r.alpha[i] <= p.C, `alpha[${i}] = ${r.alpha[i]}`);
    balance += r.alpha[i] * p.t[i];
  }
  assert.ok(Math.abs(balance) <= 1e-9 * p.C * p.rows, `t'alpha = ${balance}`);
  const c = certify(p, r.alpha, r.bias);
  const scale = Math.abs(c.primal);
  assert.ok(Math.abs(c.primal - r.primal) <= 1e-10 * scale, `primal ${r.primal}, oracle ${c.primal}`);
  assert.ok(Math.abs(c.dual - r.dual) <= 1e-10 * scale, `dual ${r.dual}, oracle ${c.dual}`);
  assert.ok(Math.abs(c.gap / scale - r.relativeGap) <= 1e-10, `gap ${r.relativeGap}, oracle ${c.gap / scale}`);
}

describeEachBackend('SVM smoothed-primal Newton', (backend) => {
  test.prop([fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 300, max: 1500 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 2 }), fc.constantFrom(0.1, 1, 10, 100)], runsOf(30))(
    'features scaled by up to 1e2: a feasible dual point within the asked relative gap of 1e-8, reported as the oracle certifies it',
    async (seed, rows, cols, maxExponent, C) => {
      const data = illScaled(seed, rows, cols, maxExponent);
      const p = problem(data, C);
      const r = await smoothedNewton(backend.tf, data, p.t, C, 1e-8);
      checkAgainstOracle(p, r);
      assert.ok(r.relativeGap <= 1e-8, `relative gap ${r.relativeGap} after ${r.stages} widths, ${r.steps} steps`);
    },
  );

  it('20000 x 40, where the wide bands\' Hessians run on the backend: the target gap is reached and certified', async () => {
    const data = logisticData(20000, 40, 7);
    const p = problem(data, 1);
    const r = await smoothedNewton(backend.tf, data, p.t, 1, 1e-7);
    checkAgainstOracle(p, r);
    assert.ok(r.relativeGap <= 1e-7, `relative gap ${r.relativeGap}`);
  });

  it('a linear fit asked for a relative gap of 5e-4 ends at Newton\'s certified start, with no decomposition step', async () => {
    const data = logisticData(3000, 20, 11);
    const config = { ...svmConfig(data, { kernel: 'linear' }), tolerance: 1e-3, relativeGap: 5e-4 };
    const fit = await fitSvm(backend.tf, data, config);
    assert.ok(fit.converged, fit.message);
    assert.match(fit.message, /Newton's method on the smoothed primal/);
    const c = certify(problem(data, 1), fit.alpha, fit.bias);
    assert.ok(c.gap / c.primal <= 5e-4, `oracle's relative gap ${c.gap / c.primal}`);
    assert.ok(Math.abs(fit.primalObjective - c.primal) <= 1e-10 * c.primal);
  });
});

test.prop([fc.array(fc.tuple(fc.boolean(), fc.double({ min: -5, max: 5, noNaN: true })), { minLength: 2, maxLength: 60 })])(
  'the intercept interval minimises the hinge sum: no breakpoint does better, and its ends do as well as each other',
  (rowsOf) => {
    const t = Float64Array.from(rowsOf, ([positive]) => (positive ? 1 : -1));
    const g = Float64Array.from(rowsOf, ([, v]) => v);
    const interval = hingeMinimisingInterval(t, g);
    const classes = new Set(t);
    if (classes.size < 2) {
      assert.equal(interval, undefined);
      return;
    }
    assert.ok(interval && interval[0] <= interval[1]);
    const loss = (b: number) => g.reduce((s, gi, i) => s + Math.max(0, -gi - t[i] * b), 0);
    const best = loss(interval[0]);
    const tol = 1e-12 * (1 + best);
    assert.ok(Math.abs(loss(interval[1]) - best) <= tol && Math.abs(loss((interval[0] + interval[1]) / 2) - best) <= tol);
    for (let i = 0; i < t.length; i++) assert.ok(loss(t[i] > 0 ? -g[i] : g[i]) >= best - tol, `breakpoint ${i} beats the interval`);
  },
);
