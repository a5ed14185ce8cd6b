// Logistic regression's workloads for implementations under test: the same seeded data as ours,
// loaded once, then a timed fit (from host arrays, as our fit-from-host) or predict_proba, judged
// by the float64 oracle's gradient at the returned parameters (the criterion our fits meet).
import { logisticData } from '../../data/synthetic.js';
import type { ImplWorkload, ImplWorkloadContext } from '../../protocol/workload-types.js';
import { sigmoid } from '../../oracles/stable.js';
import type { Dataset, ObjectiveCheck } from '../../types.js';
import { numbers, scalar, type Answer } from '../../protocol/messages.js';
import { LOGREG_DEFAULTS } from './model.js';
import { gradient, gradientScale, meanLogLoss, objective } from './objective.js';
import { CONVERGENCE_SLACK } from './workloads.js';

/** Probabilities are compared with sigma(w.x + b) of the returned parameters to this (absolute). */
const PROBA_TOLERANCE = 1e-6;

function dataOf(ctx: ImplWorkloadContext): Dataset {
  const { rows, cols } = ctx.size;
  if (!(rows > 0) || !(cols > 0))
    throw new Error(`logreg workloads need sizes { rows, cols }, got ${JSON.stringify(ctx.size)}`);
  return logisticData(rows, cols, ctx.seeds.data);
}

/** The fit request: C and a gradient tolerance relative to C * rows, as our fits stop on. */
async function fitRequest(ctx: ImplWorkloadContext, data: Dataset) {
  const X = await ctx.session.load(data.x, [data.rows, data.cols]);
  const y = await ctx.session.load(data.y, [data.rows]);
  return { op: 'fit', model: 'logreg', X, y, params: { C: LOGREG_DEFAULTS.C, tol: LOGREG_DEFAULTS.tolerance } };
}

function parametersOf(answer: Answer, cols: number): { weights: number[]; bias: number } {
  return { weights: numbers(answer, 'weights', cols), bias: scalar(answer, 'bias') };
}

/** The judge of every fit: J and ||grad J||_inf by the oracle, against the limit our own fits meet. */
export function judgeFit(data: Dataset, answer: Answer): ObjectiveCheck {
  const { weights, bias } = parametersOf(answer, data.cols);
  const problem = { ...data, C: LOGREG_DEFAULTS.C };
  const J = objective(problem, weights, bias);
  let gradNorm = 0;
  for (const g of gradient(problem, weights, bias)) gradNorm = Math.max(gradNorm, Math.abs(g));
  const limit = CONVERGENCE_SLACK * LOGREG_DEFAULTS.tolerance * gradientScale(problem);
  const passed = gradNorm <= limit;
  const iterations = typeof answer.iterations === 'number' ? answer.iterations : undefined;
  return {
    objectiveName: 'J',
    atOptimum: true,
    modelValue: J,
    oracleValue: J,
    relError: gradNorm / gradientScale(problem),
    tolerance: CONVERGENCE_SLACK * LOGREG_DEFAULTS.tolerance,
    passed,
    iterations,
    converged: passed,
    note: passed
      ? undefined
      : `not at the optimum: ||grad J||_inf ${gradNorm.toExponential(2)} at ` +
        `the returned (w, b), limit ${limit.toExponential(2)} (` +
        `${CONVERGENCE_SLACK} x tol x C x rows)`,
  };
}

const fitFromHost: ImplWorkload = {
  name: 'fit-from-host',
  description: 'fit on X, y loaded once (the implementation holds them as host arrays, as our fit-from-host starts)',
  async prepare(ctx) {
    const data = dataOf(ctx);
    return {
      request: await fitRequest(ctx, data),
      workPerRun: data.rows,
      workUnit: 'rows/s',
      judge: async (answer) => judgeFit(data, answer),
    };
  },
};

const predict: ImplWorkload = {
  name: 'predict',
  description: 'predict_proba on every row, after an untimed fit',
  async prepare(ctx) {
    const data = dataOf(ctx);
    const fitted = parametersOf(await ctx.session.request(await fitRequest(ctx, data)), data.cols);
    const X = await ctx.session.load(data.x, [data.rows, data.cols]);
    return {
      request: { op: 'predict_proba', model: 'logreg', X },
      workPerRun: data.rows,
      workUnit: 'rows/s',
      async judge(answer) {
        const proba = numbers(answer, 'proba', data.rows);
        let worst = 0;
        let logLoss = 0;
        for (let i = 0; i < data.rows; i++) {
          let z = fitted.bias;
          for (let j = 0; j < data.cols; j++) z += data.x[i * data.cols + j] * fitted.weights[j];
          worst = Math.max(worst, Math.abs(proba[i] - sigmoid(z)));
          const p = data.y[i] === 1 ? proba[i] : 1 - proba[i];
          logLoss -= Math.log(Math.max(p, Number.MIN_VALUE)) / data.rows;
        }
        const oracleValue = meanLogLoss({ ...data, C: LOGREG_DEFAULTS.C }, fitted.weights, fitted.bias);
        const passed = worst <= PROBA_TOLERANCE;
        return {
          objectiveName: 'mean log-loss',
          modelValue: logLoss,
          oracleValue,
          relError: worst,
          tolerance: PROBA_TOLERANCE,
          passed,
          note: passed
            ? undefined
            : `probabilities differ from sigma(w.x + b) of its own fit by up to ${worst.toExponential(2)}`,
        };
      },
    };
  },
};

export const LOGREG_IMPL_WORKLOADS: readonly ImplWorkload[] = [fitFromHost, predict];
