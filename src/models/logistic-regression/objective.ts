// Float64 oracle for L2-regularised logistic regression, written from the formula alone
// (DESIGN.md §3) and sharing no code with the tfjs model:
//   t = 2y - 1, f = w.x + b
//   mean log-loss L = (1/m) sum softplus(-t f)
//   J(w, b) = 1/2 ||w||^2 + C sum softplus(-t f)   (b unpenalised; C = inf: J = sum softplus(-t f))
//   dJ/dw = w + C X^T (sigma(f) - y),  dJ/db = C sum (sigma(f) - y)
import { kahanSum, rowDot, sigmoid, softplus } from '../../oracles/stable.js';

export interface LogregProblem {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly C: number;
}

function lossTerms(p: LogregProblem, w: ArrayLike<number>, b: number): Float64Array {
  const terms = new Float64Array(p.rows);
  for (let i = 0; i < p.rows; i++) {
    const t = 2 * p.y[i] - 1;
    terms[i] = softplus(-t * (rowDot(p.x, i, p.cols, w) + b));
  }
  return terms;
}

export function meanLogLoss(p: LogregProblem, w: ArrayLike<number>, b: number): number {
  return kahanSum(lossTerms(p, w, b)) / p.rows;
}

export function objective(p: LogregProblem, w: ArrayLike<number>, b: number): number {
  const loss = kahanSum(lossTerms(p, w, b));
  if (p.C === Infinity) return loss;
  let sq = 0;
  for (let j = 0; j < p.cols; j++) sq += w[j] * w[j];
  return 0.5 * sq + p.C * loss;
}

/** Gradient of J as [dJ/dw_1..d, dJ/db]. For C = inf, the gradient of the unpenalised loss. */
export function gradient(p: LogregProblem, w: ArrayLike<number>, b: number): Float64Array {
  const g = new Float64Array(p.cols + 1);
  const scale = p.C === Infinity ? 1 : p.C;
  for (let i = 0; i < p.rows; i++) {
    const r = scale * (sigmoid(rowDot(p.x, i, p.cols, w) + b) - p.y[i]);
    const o = i * p.cols;
    for (let j = 0; j < p.cols; j++) g[j] += r * p.x[o + j];
    g[p.cols] += r;
  }
  if (p.C !== Infinity) for (let j = 0; j < p.cols; j++) g[j] += w[j];
  return g;
}

/** The scale against which a gradient is "small": C*m, or m when C = inf. */
export function gradientScale(p: LogregProblem): number {
  return (p.C === Infinity ? 1 : p.C) * p.rows;
}
