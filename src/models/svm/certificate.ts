// The float64 certificate of an SVM solution, from the oracle's formulas: primal, dual, gap,
// support vector counts, margin violations and the KKT residual.
import {
  decisionFromDual,
  dualInfeasibility,
  hinge,
  kktViolation,
  marginsLinear,
  type SvmProblem,
} from './objective.js';

/** A margin counts as violated below 1 - this (the fit output's margin_violations). */
export const MARGIN_SLACK = 1e-6;

/** Decision values of every row: through w = sum alpha t x for the linear kernel (O(m d) instead of O(m nSV d)). */
export function trainingDecisions(p: SvmProblem, alpha: Float64Array, bias: number): Float64Array {
  if (p.kernel.type !== 'linear') return decisionFromDual(p, alpha, bias);
  const w = new Float64Array(p.cols);
  for (let i = 0; i < p.rows; i++) {
    if (alpha[i] === 0) continue;
    for (let k = 0; k < p.cols; k++) w[k] += alpha[i] * p.t[i] * p.x[i * p.cols + k];
  }
  return marginsLinear({ ...p, t: new Float64Array(p.rows).fill(1) }, w, bias);
}

/** The float64 certificate of a dual solution: primal, dual, gap, support counts, margins and KKT. */
export function certify(p: SvmProblem, alpha: Float64Array, bias: number) {
  const f = trainingDecisions(p, alpha, bias);
  const margins = f.map((v, i) => v * p.t[i]);
  let quad = 0;
  for (let i = 0; i < p.rows; i++) quad += alpha[i] * (p.t[i] * (f[i] - bias));
  let loss = 0;
  for (const m of margins) loss += hinge(m);
  const primal = 0.5 * quad + (p.C === Infinity ? (loss > 0 ? Infinity : 0) : p.C * loss);
  let sumAlpha = 0;
  for (const a of alpha) sumAlpha += a;
  // D = sum alpha - 1/2 alpha'Q alpha, with alpha'Q alpha = sum_i alpha_i t_i (f_i - b) from the same pass.
  const dual = sumAlpha - 0.5 * quad;
  return {
    primal,
    dual,
    gap: primal - dual,
    nSupport: alpha.filter((a) => a > 0).length,
    nBounded: p.C === Infinity ? 0 : alpha.filter((a) => a >= p.C * (1 - 1e-8)).length,
    marginViolations: margins.filter((m) => m < 1 - MARGIN_SLACK).length,
    kkt: kktViolation(p, alpha, margins),
    infeasibility: dualInfeasibility(p, alpha),
  };
}
