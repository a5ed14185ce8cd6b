// The SVM's float64 polish: on the unscaled breast-cancer data, where the float32 solver stalls, the
// fit ends certified (relative duality gap <= 1e-9, the 58/48 support set); on random ill-scaled
// data, from nothing, the active-set polish always reaches a solution the oracle's certificate
// accepts (box, equality, every margin on its side of 1, the gap).
import assert from 'node:assert/strict';
import { fc, test } from '@fast-check/vitest';
import { it } from 'vitest';
import { certify } from '../../../src/models/svm/certificate.js';
import { gammaScale, type Kernel, type SvmProblem } from '../../../src/models/svm/objective.js';
import { POLISH_RELATIVE_GAP, polishSvm } from '../../../src/models/svm/polish.js';
import { svm } from '../../../src/models/svm/index.js';
import { NAMED_CLASSIFICATION_DATA } from '../../../src/data/named.js';
import { wasmBackend } from '../../../src/backends/wasm.js';
import { DEFAULT_BASE_SEED, Rng, seedsFrom } from '../../../src/seeds.js';
import { runsOf } from '../../helpers/seeds.js';

it('certifies the raw breast-cancer fit (linear, C = 1) to a relative gap of 1e-9 with 58 support vectors, 48 at the bound', async () => {
  const { tf } = await wasmBackend.activate();
  const data = NAMED_CLASSIFICATION_DATA['breast-cancer-raw'].load();
  const fit = await svm.fit(tf, data, {}, seedsFrom(DEFAULT_BASE_SEED));
  assert.ok(fit.converged, fit.message);
  assert.match(fit.message, /certified by the float64 polish/);
  const verdict = svm.judge(data, {}, fit);
  assert.ok(verdict.extra.relative_gap <= POLISH_RELATIVE_GAP, `relative gap ${verdict.extra.relative_gap}`);
  assert.equal(verdict.extra.n_support, 58);
  assert.equal(verdict.extra.n_bounded, 48);
  // The true optimum lies between the dual and the primal: the primal is within 1e-9 of it.
  assert.ok((verdict.objective - verdict.extra.dual_objective) / verdict.objective <= 1e-9);
  assert.ok(Math.abs(verdict.objective - 48.87572) < 1e-5, `P = ${verdict.objective}`);
});

/** Two overlapping classes, each feature scaled by 10^u, u uniform in [0, maxExponent]: ill-scaled data. */
function illScaled(seed: number, rows: number, cols: number, kernelType: 'linear' | 'rbf', C: number, maxExponent: number): SvmProblem {
  const rng = new Rng(seed);
  const scales = Array.from({ length: cols }, () => 10 ** (maxExponent * rng.uniform()));
  const x = new Float64Array(rows * cols);
  const t = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    t[i] = i % 2 === 0 ? 1 : -1;
    for (let k = 0; k < cols; k++) x[i * cols + k] = scales[k] * (0.6 * t[i] * (k === 0 ? 1 : 0.3) + rng.normal());
  }
  const kernel: Kernel = kernelType === 'linear' ? { type: 'linear' } : { type: 'rbf', gamma: gammaScale(x, cols) };
  return { x, t, rows, cols, C, kernel };
}

/** What the oracle says of a polished solution: feasibility exactly, and the relative gap. */
function oracleVerdict(p: SvmProblem, alpha: Float64Array, bias: number): number {
  let tAlpha = 0;
  for (let i = 0; i < p.rows; i++) {
    assert.ok(alpha[i] >= 0 && alpha[i] <= p.C, `alpha[${i}] = ${alpha[i]}`);
    tAlpha += p.t[i] * alpha[i];
  }
  assert.ok(Math.abs(tAlpha) <= 1e-9 * p.C * p.rows, `t'alpha = ${tAlpha}`);
  const c = certify(p, alpha, bias);
  return c.gap / Math.abs(c.primal);
}

const cases = [fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 20, max: 90 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom(0.1, 1, 10)] as const;

test.prop([...cases, fc.constantFrom('linear' as const, 'rbf' as const)], runsOf(40))(
  'from alpha = 0, features scaled by up to 1e2 (RBF: 1e4), the polish always ends certified, and the oracle agrees',
  (seed, rows, cols, C, kernel) => {
    const p = illScaled(seed, rows, cols, kernel, C, kernel === 'linear' ? 2 : 4);
    const r = polishSvm(p, new Float64Array(rows));
    assert.ok(r.certified, r.message);
    assert.ok(oracleVerdict(p, r.alpha, r.bias) <= POLISH_RELATIVE_GAP);
  },
);

test.prop([...cases], runsOf(40))(
  'linear, features scaled by up to 1e4: a certificate is never claimed falsely, and where float64 cannot resolve 1e-9 it says so, within its resolution',
  (seed, rows, cols, C) => {
    const p = illScaled(seed, rows, cols, 'linear', C, 4);
    const r = polishSvm(p, new Float64Array(rows));
    const gap = oracleVerdict(p, r.alpha, r.bias);
    if (r.certified) assert.ok(gap <= POLISH_RELATIVE_GAP, `certified, but the oracle's gap is ${gap}`);
    else {
      assert.match(r.message, /float64's resolution for these feature scales is about/);
      assert.ok(gap <= 1e-6, `gap ${gap}: ${r.message}`);
    }
  },
);
