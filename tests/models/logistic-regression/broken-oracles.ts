// Deliberately broken twins of the logistic-regression oracle, one per property: each property
// must reject its twin, or the property proves nothing.
import * as oracle from '../../../src/models/logistic-regression/objective.js';
import type { LogregObjectiveImpl } from './properties.js';
import type { LogregProblem } from '../../../src/models/logistic-regression/objective.js';

const real: LogregObjectiveImpl = oracle;

function f(p: LogregProblem, w: ArrayLike<number>, b: number, i: number): number {
  let s = b;
  for (let j = 0; j < p.cols; j++) s += p.x[i * p.cols + j] * w[j];
  return s;
}

export const BROKEN: Record<string, LogregObjectiveImpl> = {
  /** Subtracts the penalty: concave in w for small C. */
  convexity: {
    ...real,
    objective: (p, w, b) => real.objective(p, w, b) - 2 * Array.from(w).reduce((s, v) => s + v * v, 0),
  },
  /** Forgets the penalty's gradient w. */
  gradient: {
    ...real,
    gradient: (p, w, b) => {
      const g = Float64Array.from(real.gradient(p, w, b));
      for (let j = 0; j < p.cols; j++) g[j] -= w[j];
      return g;
    },
  },
  /** Uses y in {0,1} where t in {-1,+1} belongs: class 0 costs a constant log 2. */
  'label-flip': {
    ...real,
    objective: (p, w, b) => {
      let loss = 0;
      for (let i = 0; i < p.rows; i++) loss += Math.log1p(Math.exp(-p.y[i] * f(p, w, b, i)));
      return 0.5 * Array.from(w).reduce((s, v) => s + v * v, 0) + p.C * loss;
    },
  },
  /** Averages the loss instead of summing it, so C no longer scales with m. */
  'duplicate-rows': {
    ...real,
    objective: (p, w, b) => {
      const sq = Array.from(w).reduce((s, v) => s + v * v, 0);
      return 0.5 * sq + (p.C * (real.objective(p, w, b) - 0.5 * sq)) / p.C / p.rows;
    },
  },
  /** log(sigmoid(f)) directly: -Infinity once sigmoid underflows. */
  'extreme-logits': {
    ...real,
    meanLogLoss: (p, w, b) => {
      let s = 0;
      for (let i = 0; i < p.rows; i++) {
        const sig = 1 / (1 + Math.exp(-f(p, w, b, i)));
        s += p.y[i] * Math.log(sig) + (1 - p.y[i]) * Math.log(1 - sig);
      }
      return -s / p.rows;
    },
  },
  /** Returns the summed loss where the mean is documented. */
  'log-loss-formula': {
    ...real,
    meanLogLoss: (p, w, b) => real.meanLogLoss(p, w, b) * p.rows,
  },
};
