// Float64 oracle for the soft-margin SVM, from the formulas alone (DESIGN.md §3), sharing no code
// with the model. Labels t in {-1, +1}.
//   K linear: x.z;  K rbf: exp(-gamma ||x - z||^2)
//   f(x) = sum_j alpha_j t_j K(x_j, x) + b          (linear: f(x) = w.x + b)
//   primal P = 1/2 ||w||^2 + C sum_i max(0, 1 - t_i f(x_i)),  ||w||^2 = alpha' Q alpha
//   dual   D = sum_i alpha_i - 1/2 alpha' Q alpha,   Q_ij = t_i t_j K(x_i, x_j),
//          feasible when 0 <= alpha_i <= C and sum_i alpha_i t_i = 0
//   KKT:  alpha_i = 0 => t_i f_i >= 1;  0 < alpha_i < C => t_i f_i = 1;  alpha_i = C => t_i f_i <= 1

export type Kernel = { readonly type: 'linear' } | { readonly type: 'rbf'; readonly gamma: number };

export interface SvmProblem {
  readonly x: Float64Array;
  /** Labels as signs in {-1, +1}. */
  readonly t: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly C: number;
  readonly kernel: Kernel;
}

export function kernelValue(
  p: Pick<SvmProblem, 'x' | 'cols' | 'kernel'>,
  i: number,
  z: ArrayLike<number>,
  zOffset = 0,
): number {
  const o = i * p.cols;
  if (p.kernel.type === 'linear') {
    let s = 0;
    for (let k = 0; k < p.cols; k++) s += p.x[o + k] * z[zOffset + k];
    return s;
  }
  let d2 = 0;
  for (let k = 0; k < p.cols; k++) {
    const diff = p.x[o + k] - z[zOffset + k];
    d2 += diff * diff;
  }
  return Math.exp(-p.kernel.gamma * d2);
}

/** sklearn's gamma = 'scale': 1 / (d * Var(X)), the variance over every entry of X. */
export function gammaScale(x: Float64Array, cols: number): number {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let variance = 0;
  for (const v of x) variance += (v - mean) ** 2;
  variance /= x.length;
  return variance > 0 ? 1 / (cols * variance) : 1;
}

export function hinge(margin: number): number {
  return Math.max(0, 1 - margin);
}

/** Decision values f_i of every training row for a dual solution (alpha, b). */
export function decisionFromDual(p: SvmProblem, alpha: ArrayLike<number>, b: number): Float64Array {
  const f = new Float64Array(p.rows).fill(b);
  for (let j = 0; j < p.rows; j++) {
    if (alpha[j] === 0) continue;
    const coef = alpha[j] * p.t[j];
    for (let i = 0; i < p.rows; i++) f[i] += coef * kernelValue(p, j, p.x, i * p.cols);
  }
  return f;
}

/** alpha' Q alpha = ||w||^2 in feature space. */
export function quadraticTerm(p: SvmProblem, alpha: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.rows; i++) {
    if (alpha[i] === 0) continue;
    for (let j = 0; j < p.rows; j++) {
      if (alpha[j] === 0) continue;
      s += alpha[i] * alpha[j] * p.t[i] * p.t[j] * kernelValue(p, i, p.x, j * p.cols);
    }
  }
  return s;
}

/** @public the dual, used by tests/models/svm/oracle.test.ts through the module object (knip cannot see that use). */
export function dualObjective(p: SvmProblem, alpha: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.rows; i++) s += alpha[i];
  return s - 0.5 * quadraticTerm(p, alpha);
}

/** Largest violation of 0 <= alpha <= C and sum alpha t = 0 (0 means feasible). */
export function dualInfeasibility(p: SvmProblem, alpha: ArrayLike<number>): number {
  let worst = 0;
  let balance = 0;
  for (let i = 0; i < p.rows; i++) {
    worst = Math.max(worst, -alpha[i], alpha[i] - p.C);
    balance += alpha[i] * p.t[i];
  }
  return Math.max(worst, Math.abs(balance));
}

export function primalFromDual(p: SvmProblem, alpha: ArrayLike<number>, b: number): number {
  const f = decisionFromDual(p, alpha, b);
  let loss = 0;
  for (let i = 0; i < p.rows; i++) loss += hinge(p.t[i] * f[i]);
  return 0.5 * quadraticTerm(p, alpha) + p.C * loss;
}

/** Linear primal at explicit (w, b). */
export function primalLinear(p: Omit<SvmProblem, 'kernel'>, w: ArrayLike<number>, b: number): number {
  let sq = 0;
  for (let k = 0; k < p.cols; k++) sq += w[k] * w[k];
  let loss = 0;
  for (let i = 0; i < p.rows; i++) {
    let f = b;
    for (let k = 0; k < p.cols; k++) f += p.x[i * p.cols + k] * w[k];
    loss += hinge(p.t[i] * f);
  }
  return 0.5 * sq + p.C * loss;
}

/** Margins t_i f_i for a linear (w, b). */
export function marginsLinear(p: Omit<SvmProblem, 'kernel' | 'C'>, w: ArrayLike<number>, b: number): Float64Array {
  const m = new Float64Array(p.rows);
  for (let i = 0; i < p.rows; i++) {
    let f = b;
    for (let k = 0; k < p.cols; k++) f += p.x[i * p.cols + k] * w[k];
    m[i] = p.t[i] * f;
  }
  return m;
}

/**
 * Largest KKT residual per point type, with alpha within boundTol*C of a bound counted as at it:
 * alpha = 0 needs margin >= 1, free alpha needs margin = 1, alpha = C needs margin <= 1.
 */
export function kktViolation(
  p: SvmProblem,
  alpha: ArrayLike<number>,
  margins: ArrayLike<number>,
  boundTol = 1e-8,
): number {
  let worst = 0;
  for (let i = 0; i < p.rows; i++) {
    const m = margins[i];
    if (alpha[i] <= boundTol * p.C) worst = Math.max(worst, 1 - m);
    else if (alpha[i] >= p.C * (1 - boundTol)) worst = Math.max(worst, m - 1);
    else worst = Math.max(worst, Math.abs(m - 1));
  }
  return Math.max(0, worst);
}
