import assert from 'node:assert/strict';
import { fc, test } from '@fast-check/vitest';
import { it } from 'vitest';
import { readLabelledCsv } from '../../../src/data/csv-table.js';
import { logisticData } from '../../../src/data/synthetic.js';
import { decisionFunction, evaluateOnDevice, fit, LOGREG_DEFAULTS, uploadData, uploadModel } from '../../../src/models/logistic-regression/model.js';
import { gradient, gradientScale, objective } from '../../../src/models/logistic-regression/objective.js';
import type { Dataset } from '../../../src/types.js';
import { BREAST_CANCER, GOLDEN } from '../../helpers/data.js';
import { describeEachBackend } from '../../helpers/each-backend.js';
import { runsOf } from '../../helpers/seeds.js';

/** Fits are slow compared with oracle evaluations: fewer cases, scaled with MODELBENCH_PROPERTY_RUNS. */
const FIT_RUNS = 12;

function gradNorm(data: Dataset, C: number, w: ArrayLike<number>, b: number): number {
  return Math.max(...Array.from(gradient({ ...data, C }, w, b), Math.abs));
}

const wellPosed = fc
  .record({ rows: fc.integer({ min: 30, max: 300 }), cols: fc.integer({ min: 1, max: 6 }), seed: fc.integer({ min: 0, max: 2 ** 31 }), C: fc.double({ min: 0.05, max: 20, noNaN: true }) })
  .map((r) => ({ ...r, data: logisticData(r.rows, r.cols, r.seed) }))
  .filter(({ data }) => new Set(data.y).size === 2);

describeEachBackend('logistic regression', (backend) => {
  it(`reaches the breast-cancer optimum within ${GOLDEN.logreg.relative_tolerance} relative`, async () => {
    const data = readLabelledCsv(BREAST_CANCER);
    const r = await fit(backend.tf, data, { ...LOGREG_DEFAULTS, C: GOLDEN.logreg.C });
    const j = objective({ ...data, C: GOLDEN.logreg.C }, r.weights, r.bias);
    assert.ok(r.converged, r.message);
    const rel = Math.abs(j - GOLDEN.logreg.objective) / GOLDEN.logreg.objective;
    assert.ok(rel <= GOLDEN.logreg.relative_tolerance, `J = ${j}, golden ${GOLDEN.logreg.objective}, rel ${rel}`);
  });

  test.prop([wellPosed], runsOf(FIT_RUNS))('leaves ||grad J||_inf small relative to C*m on random well-posed data', async ({ data, C }) => {
    const r = await fit(backend.tf, data, { ...LOGREG_DEFAULTS, C });
    const limit = 10 * LOGREG_DEFAULTS.tolerance * gradientScale({ ...data, C });
    return r.converged && gradNorm(data, C, r.weights, r.bias) <= limit;
  });

  test.prop([wellPosed], runsOf(Math.ceil(FIT_RUNS / 2)))('flipping the labels negates the fitted (w, b)', async ({ data, C }) => {
    const a = await fit(backend.tf, data, { ...LOGREG_DEFAULTS, C });
    const b = await fit(backend.tf, { ...data, y: data.y.map((v) => 1 - v) }, { ...LOGREG_DEFAULTS, C });
    const scale = Math.max(1, ...Array.from(a.weights, Math.abs), Math.abs(a.bias));
    return [...a.weights, a.bias].every((v, j) => Math.abs(v + [...b.weights, b.bias][j]) <= 1e-5 * scale);
  });

  test.prop([wellPosed], runsOf(Math.ceil(FIT_RUNS / 2)))('duplicating every row fits the same model as doubling C', async ({ data, C }) => {
    const doubled: Dataset = { ...data, rows: 2 * data.rows, x: Float64Array.from([...data.x, ...data.x]), y: Float64Array.from([...data.y, ...data.y]) };
    const a = await fit(backend.tf, doubled, { ...LOGREG_DEFAULTS, C });
    const b = await fit(backend.tf, data, { ...LOGREG_DEFAULTS, C: 2 * C });
    const scale = Math.max(1, ...Array.from(b.weights, Math.abs), Math.abs(b.bias));
    return [...a.weights, a.bias].every((v, j) => Math.abs(v - [...b.weights, b.bias][j]) <= 1e-5 * scale);
  });

  it('says it did not converge on separable data with C = inf, instead of looping', async () => {
    const x = Float64Array.from([-2, -1, 1, 2]);
    const data: Dataset = { name: 'separable', rows: 4, cols: 1, x, y: Float64Array.from([0, 0, 1, 1]), featureNames: ['x'] };
    const r = await fit(backend.tf, data, { ...LOGREG_DEFAULTS, C: Infinity });
    assert.equal(r.converged, false);
    assert.match(r.message, /separable/);
  });

  it('fits C = inf on overlapping data to the unpenalised optimum', async () => {
    const data = logisticData(400, 3, 7);
    const r = await fit(backend.tf, data, { ...LOGREG_DEFAULTS, C: Infinity });
    assert.ok(r.converged, r.message);
    assert.ok(gradNorm(data, Infinity, r.weights, r.bias) <= 10 * LOGREG_DEFAULTS.tolerance * data.rows);
  });

  test.prop([wellPosed, fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 7, maxLength: 7 })], runsOf(FIT_RUNS))('the backend objective equals the float64 oracle within the float32 tolerance', async ({ data, C }, theta) => {
    const dev = uploadData(backend.tf, data);
    const t = Float64Array.from(theta.slice(0, data.cols + 1));
    const e = await evaluateOnDevice(backend.tf, dev, C, t);
    dev.dispose();
    const j = objective({ ...data, C }, t.slice(0, data.cols), t[data.cols]);
    return Math.abs(e.value - j) <= backend.tolerance * Math.abs(j);
  });

  it('fit and predict dispose every tensor they make', async () => {
    const data = logisticData(200, 4, 3);
    const before = backend.tf.memory().numTensors;
    const r = await fit(backend.tf, data, LOGREG_DEFAULTS);
    const dev = uploadData(backend.tf, data);
    const model = uploadModel(backend.tf, r.weights, r.bias);
    await decisionFunction(backend.tf, dev.x, model);
    model.dispose();
    dev.dispose();
    assert.equal(backend.tf.memory().numTensors, before);
  });
});
