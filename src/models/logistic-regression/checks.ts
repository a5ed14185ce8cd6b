// Conformance checks of a logistic regression: J = 1/2 ||w||^2 + C sum log-loss, intercept
// unpenalised (sklearn's convention), judged by our float64 oracle against our reference optimum.
import { fit as referenceFit, LOGREG_DEFAULTS } from './model.js';
import { gradient, objective } from './objective.js';
import { sigmoid } from '../../oracles/stable.js';
import type { Dataset, Tf } from '../../types.js';
import type { ImplSession } from '../../protocol/workload-types.js';
import { numbers, scalar } from '../../protocol/messages.js';
import { breastCancer, breastCancerRaw, generated, rowsOf } from '../check-datasets.js';
import { relativeError, type Check, type CheckResult } from '../check.js';

interface Fitted {
  readonly weights: number[];
  readonly bias: number;
}

async function fitImpl(impl: ImplSession, data: Dataset, C: number | null): Promise<Fitted> {
  const answer = await impl.request({
    op: 'fit',
    model: 'logreg',
    X: rowsOf(data),
    y: Array.from(data.y),
    params: { C },
  });
  return { weights: numbers(answer, 'weights', data.cols), bias: scalar(answer, 'bias') };
}

async function probabilities(impl: ImplSession, X: number[][]): Promise<number[]> {
  return numbers(await impl.request({ op: 'predict_proba', model: 'logreg', X }), 'proba', X.length);
}

/** Our reference optimum J*, from the reference implementation (L-BFGS then a float64 Newton polish). */
const referenceCache = new Map<string, number>();
async function referenceOptimum(tf: Tf, data: Dataset, C: number): Promise<number> {
  const key = `${data.name}|${data.rows}|${C}`;
  const cached = referenceCache.get(key);
  if (cached !== undefined) return cached;
  const r = await referenceFit(tf, data, { ...LOGREG_DEFAULTS, C, tolerance: 1e-9 });
  const value = objective({ ...data, C }, r.weights, r.bias);
  referenceCache.set(key, value);
  return value;
}

/** The returned parameters reach the reference optimum: J(w, b) <= J* (1 + tolerance). */
export function optimumCheck(
  name: string,
  description: string,
  load: () => Dataset,
  C: number,
  tolerance: number,
): Check {
  return {
    name,
    model: 'logreg',
    description,
    async run({ impl, tf }): Promise<CheckResult> {
      const data = load();
      const fitted = await fitImpl(impl, data, C);
      const J = objective({ ...data, C }, fitted.weights, fitted.bias);
      const best = await referenceOptimum(tf, data, C);
      const excess = (J - best) / Math.abs(best);
      return {
        passed: excess <= tolerance,
        measured: J,
        expected: best,
        tolerance,
        detail:
          `J = ${J.toPrecision(12)} vs optimum ${best.toPrecision(12)} (relative ` +
          `excess ${excess.toExponential(2)})`,
      };
    },
  };
}

export const LOGREG_CHECKS: readonly Check[] = [
  optimumCheck(
    'logreg-optimum-breast-cancer',
    'J at the returned (w, b) reaches the optimum on z-scored breast cancer (569 x 30), C = 1',
    breastCancer,
    1,
    1e-6,
  ),
  optimumCheck(
    'logreg-optimum-raw-breast-cancer',
    'the same on the unscaled, ill-conditioned data (features up to 4254), C = 1',
    breastCancerRaw,
    1,
    1e-4,
  ),
  optimumCheck(
    'logreg-optimum-generated',
    'J reaches the optimum on generated data (2000 x 20), C = 0.1',
    () => generated(2000, 20),
    0.1,
    1e-6,
  ),
  {
    name: 'logreg-no-penalty',
    model: 'logreg',
    description:
      '"C": null fits the unpenalised maximum likelihood: the log-loss ' +
      'gradient vanishes (non-separable generated data, 500 x 5)',
    async run({ impl }) {
      const data = generated(500, 5, 'no-penalty');
      const f = await fitImpl(impl, data, null);
      // With C = inf, J's gradient is the log-loss gradient (the 1/2 ||w||^2 term drops out): use C = 1
      // on the loss alone, i.e. the gradient minus w.
      const g = gradient({ ...data, C: 1 }, f.weights, f.bias);
      let worst = 0;
      for (let j = 0; j < data.cols; j++) worst = Math.max(worst, Math.abs(g[j] - f.weights[j]));
      worst = Math.max(worst, Math.abs(g[data.cols]));
      const tolerance = 1e-4 * data.rows;
      return {
        passed: worst <= tolerance,
        measured: worst,
        expected: 0,
        tolerance,
        detail: `||grad of the summed log-loss||_inf = ${worst.toExponential(2)}`,
      };
    },
  },
  {
    name: 'logreg-proba-consistent',
    model: 'logreg',
    description: 'predict_proba equals sigma(w.x + b) of the parameters the fit returned',
    async run({ impl }) {
      const data = generated(300, 6, 'proba');
      const f = await fitImpl(impl, data, 1);
      const X = rowsOf(data);
      const p = await probabilities(impl, X);
      let worst = 0;
      X.forEach(
        (x, i) =>
          (worst = Math.max(worst, Math.abs(p[i] - sigmoid(x.reduce((s, v, j) => s + v * f.weights[j], f.bias))))),
      );
      return {
        passed: worst <= 1e-6,
        measured: worst,
        expected: 0,
        tolerance: 1e-6,
        detail: `max |proba - sigma(w.x + b)| = ${worst.toExponential(2)}`,
      };
    },
  },
  {
    name: 'logreg-extreme-inputs',
    model: 'logreg',
    description: 'probabilities stay finite and in [0, 1] for inputs scaled by 1e6 (|w.x| far beyond exp overflow)',
    async run({ impl }) {
      const data = generated(200, 4, 'extreme');
      await fitImpl(impl, data, 1);
      const X = rowsOf(data).map((x) => x.map((v) => v * 1e6));
      const answer = await impl.request({ op: 'predict_proba', model: 'logreg', X });
      const raw = answer.proba;
      const bad = Array.isArray(raw) ? raw.findIndex((v) => typeof v !== 'number' || !(v >= 0 && v <= 1)) : 0;
      return {
        passed: Array.isArray(raw) && raw.length === X.length && bad < 0,
        detail:
          bad < 0
            ? 'all finite and in [0, 1]'
            : `proba[${bad}] = ${JSON.stringify(Array.isArray(raw) ? raw[bad] : raw)}`,
      };
    },
  },
  {
    name: 'logreg-deterministic',
    model: 'logreg',
    description: 'two identical fit requests return the same parameters (to 1e-12 relative)',
    async run({ impl }) {
      const data = generated(400, 8, 'determinism');
      const a = await fitImpl(impl, data, 1);
      const b = await fitImpl(impl, data, 1);
      const diff = Math.max(
        ...[...a.weights, a.bias].map(
          (v, j) => relativeError(v, [...b.weights, b.bias][j]) * (Math.abs(v) > 1e-12 ? 1 : 0),
        ),
      );
      return {
        passed: diff <= 1e-12,
        measured: diff,
        expected: 0,
        tolerance: 1e-12,
        detail: `largest relative difference ${diff.toExponential(2)}`,
      };
    },
  },
  {
    name: 'logreg-label-flip',
    model: 'logreg',
    description: 'flipping every label negates (w, b), as the objective is symmetric under t -> -t, (w, b) -> -(w, b)',
    async run({ impl }) {
      const data = generated(400, 5, 'flip');
      const a = await fitImpl(impl, data, 1);
      const b = await fitImpl(impl, { ...data, y: data.y.map((v) => 1 - v) }, 1);
      const scale = Math.max(1, ...a.weights.map(Math.abs), Math.abs(a.bias));
      const diff = Math.max(...[...a.weights, a.bias].map((v, j) => Math.abs(v + [...b.weights, b.bias][j]))) / scale;
      return {
        passed: diff <= 1e-4,
        measured: diff,
        expected: 0,
        tolerance: 1e-4,
        detail: `max |theta + theta_flipped| / scale = ${diff.toExponential(2)}`,
      };
    },
  },
  {
    name: 'logreg-row-permutation',
    model: 'logreg',
    description: 'permuting the rows leaves (w, b) unchanged',
    async run({ impl }) {
      const data = generated(400, 5, 'permutation');
      const order = Array.from({ length: data.rows }, (_, i) => (i * 173) % data.rows);
      const x = new Float64Array(data.x.length);
      order.forEach((src, r) => x.set(data.x.subarray(src * data.cols, (src + 1) * data.cols), r * data.cols));
      const a = await fitImpl(impl, data, 1);
      const b = await fitImpl(impl, { ...data, x, y: Float64Array.from(order, (i) => data.y[i]) }, 1);
      const scale = Math.max(1, ...a.weights.map(Math.abs), Math.abs(a.bias));
      const diff = Math.max(...[...a.weights, a.bias].map((v, j) => Math.abs(v - [...b.weights, b.bias][j]))) / scale;
      return {
        passed: diff <= 1e-4,
        measured: diff,
        expected: 0,
        tolerance: 1e-4,
        detail: `max |theta - theta_permuted| / scale = ${diff.toExponential(2)}`,
      };
    },
  },
  {
    name: 'logreg-intercept-unpenalised',
    model: 'logreg',
    description:
      'with all-zero features and 80% positive labels the optimum is w = 0, ' +
      'b = log(0.8 / 0.2) exactly (C = 0.01): a penalised intercept shrinks b',
    async run({ impl }) {
      const rows = 100;
      const data: Dataset = {
        name: 'zero features',
        rows,
        cols: 2,
        x: new Float64Array(rows * 2),
        y: Float64Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? 0 : 1)),
        featureNames: ['a', 'b'],
      };
      const f = await fitImpl(impl, data, 0.01);
      const expected = Math.log(4);
      return {
        passed: Math.abs(f.bias - expected) <= 1e-4,
        measured: f.bias,
        expected,
        tolerance: 1e-4,
        detail: `b = ${f.bias}, expected log 4 = ${expected}`,
      };
    },
  },
];
