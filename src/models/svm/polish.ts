// The SVM's float64 polish, as logistic regression has its Newton polish: from the backend solver's
// (float32) alpha, float64 SMO on the dual QP  min 1/2 a'Qa - 1'a,  0 <= a <= C,  t'a = 0  down a
// tightening pair-gap tolerance; after each stage, the sets it identified are solved exactly: with
// the bounded rows fixed (0 or C), the free coefficients beta_F = t_F a_F and the bias solve
//   K_FF beta_F + b 1 = t_F - K_FU (C t_U),   1'beta_F = -C 1't_U
// (every free row exactly on its margin, the equality exact). The first candidate whose float64
// certificate (certificate.ts) shows a relative duality gap <= 1e-9 is the answer; otherwise the
// best one, and the reason.
import { certify } from './certificate.js';
import { kernelValue, type SvmProblem } from './objective.js';

/** The certificate's bar: relative duality gap at most this, with every KKT condition holding to round-off. */
export const POLISH_RELATIVE_GAP = 1e-9;
/** Work per round (multiply-adds, about 1 s of JavaScript per 1e9) above which the polish is not attempted. */
export const POLISH_MAX_WORK = 2e9;
/** Rounds of SMO (its pair-gap tolerance 100 times tighter each time it is met) and face steps. */
const MAX_ROUNDS = 300;

export interface PolishResult {
  readonly alpha: Float64Array;
  readonly bias: number;
  readonly certified: boolean;
  readonly rounds: number;
  readonly relativeGap: number;
  /** Why it is not certified (too large, out of rounds), or what certified it. */
  readonly message: string;
}

/**
 * The Cholesky factor of a symmetric positive (semi)definite matrix, with a ridge of round-off size where it is
 * singular (linear kernels with more free rows than dimensions).
 */
function cholesky(A: Float64Array, n: number): Float64Array {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, A[i * n + i]);
  const ridge = 1e-14 * Math.max(maxDiag, Number.MIN_VALUE);
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j] + ridge;
    for (let k = 0; k < j; k++) d -= L[j * n + k] ** 2;
    const ljj = Math.sqrt(Math.max(d, ridge));
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let v = A[i * n + j];
      for (let k = 0; k < j; k++) v -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = v / ljj;
    }
  }
  return L;
}

function choleskyApply(L: Float64Array, n: number, r: Float64Array): Float64Array {
  const y = Float64Array.from(r);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) y[i] -= L[i * n + k] * y[k];
    y[i] /= L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) y[i] -= L[k * n + i] * y[k];
    y[i] /= L[i * n + i];
  }
  return y;
}

/**
 * Refinement steps on the bordered system: the factor is of K plus a ridge, and K is often ill-conditioned (unscaled
 * features).
 */
const REFINEMENTS = 8;

/**
 * beta_F and b from the KKT equalities: the Schur complement of the bordered system, then iterative refinement in
 * float64.
 */
export function solveFree(
  p: SvmProblem,
  free: readonly number[],
  upper: readonly number[],
): { beta: Float64Array; bias: number } {
  const n = free.length;
  const K = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let c = 0; c <= a; c++) K[a * n + c] = K[c * n + a] = kernelValue(p, free[a], p.x, free[c] * p.cols);
  let s = 0;
  for (const j of upper) s -= p.C * p.t[j];
  const upperAlpha = new Float64Array(p.rows);
  for (const j of upper) upperAlpha[j] = p.C;
  // The bounded rows' part of each free row's decision value (through w for the linear kernel: O(m d), not O(|F| |U|
  // d)).
  const fixedPart = decisionsAt(p, upperAlpha, 0, free);
  const r = Float64Array.from(free, (i, a) => p.t[i] - fixedPart[a]);
  if (n === 0) return { beta: r, bias: 0 };
  const L = cholesky(K, n);
  const k1 = choleskyApply(L, n, new Float64Array(n).fill(1));
  const sumK1 = k1.reduce((x, y) => x + y, 0);
  /** (beta, b) with [K 1; 1' 0] [beta; b] = [rhs; sum] for the factored K. */
  const solve = (rhs: Float64Array, sum: number) => {
    const kr = choleskyApply(L, n, rhs);
    const bias = (kr.reduce((x, y) => x + y, 0) - sum) / sumK1;
    return { beta: kr.map((v, a) => v - bias * k1[a]), bias };
  };
  const x = solve(r, s);
  // The residual of the free rows' margins as the certificate computes them (through w for the
  // linear kernel), not through K: with unscaled features K's entries are large and cancel, and a
  // residual through them is round-off; through w it is what the margins really are.
  const fixed = new Float64Array(p.rows);
  for (const j of upper) fixed[j] = p.C;
  for (let step = 0; step < REFINEMENTS; step++) {
    const alpha = Float64Array.from(fixed);
    free.forEach((i, a) => (alpha[i] = x.beta[a] * p.t[i]));
    const f = decisionsAt(p, alpha, x.bias, free);
    const res = new Float64Array(n);
    let resSum = s;
    let worst = 0;
    for (let a = 0; a < n; a++) {
      res[a] = p.t[free[a]] - f[a];
      worst = Math.max(worst, Math.abs(res[a]));
      resSum -= x.beta[a];
    }
    if (worst <= 1e-15 && Math.abs(resSum) <= 1e-15 * Math.max(1, Math.abs(s))) break;
    const d = solve(res, resSum);
    for (let a = 0; a < n; a++) x.beta[a] += d.beta[a];
    x.bias += d.bias;
  }
  return x;
}

/** f(x_i) of the given rows for (alpha, b): through w for the linear kernel. */
export function decisionsAt(p: SvmProblem, alpha: Float64Array, bias: number, rows: readonly number[]): Float64Array {
  const f = new Float64Array(rows.length).fill(bias);
  if (p.kernel.type === 'linear') {
    const w = new Float64Array(p.cols);
    for (let j = 0; j < p.rows; j++)
      if (alpha[j] !== 0) for (let k = 0; k < p.cols; k++) w[k] += alpha[j] * p.t[j] * p.x[j * p.cols + k];
    rows.forEach((i, a) => {
      for (let k = 0; k < p.cols; k++) f[a] += w[k] * p.x[i * p.cols + k];
    });
  } else {
    for (let j = 0; j < p.rows; j++) {
      if (alpha[j] === 0) continue;
      const c = alpha[j] * p.t[j];
      rows.forEach((i, a) => (f[a] += c * kernelValue(p, j, p.x, i * p.cols)));
    }
  }
  return f;
}

/**
 * The relative gap float64 can resolve: a unit in the last place of every support vector's alpha
 * moves a margin by up to eps C sum_j |K(x_j, x_i)|, which the hinge terms of C rows turn into a
 * duality gap of about that times C rows, relative to P.
 */
function resolutionFloor(p: SvmProblem, alpha: Float64Array): number {
  let worstRow = 0;
  for (let i = 0; i < p.rows; i++) {
    let s = 0;
    for (let j = 0; j < p.rows; j++) if (alpha[j] > 0) s += Math.abs(kernelValue(p, j, p.x, i * p.cols));
    worstRow = Math.max(worstRow, s);
  }
  const c = certify(p, alpha, 0);
  return (Number.EPSILON * p.C * worstRow * p.C * p.rows) / Math.max(Math.abs(c.primal), 1e-300);
}

/** Whether the polish is worth attempting here: one round's work, and a finite C. */
export function polishBlocker(p: SvmProblem, alpha: Float64Array): string | undefined {
  if (p.C === Infinity) return 'the hard margin is checked by its margins, not polished';
  const support = alpha.filter((a) => a > 0).length;
  const free = alpha.filter((a) => a > 1e-7 * p.C && a < p.C * (1 - 1e-7)).length;
  // Per round: SMO's kernel columns (two per iteration, up to 2 m + 1000 iterations), the margins of
  // every row, the free rows' kernel block and its Cholesky factor.
  const smoWork = 2 * (2 * p.rows + 1000) * p.rows * p.cols;
  const marginWork = p.kernel.type === 'linear' ? 2 * p.rows * p.cols : p.rows * Math.max(support, 1) * p.cols;
  const work = smoWork + marginWork + free * support * p.cols + free ** 3 / 3;
  if (work > POLISH_MAX_WORK)
    return (
      `too large for the float64 polish (about ${work.toExponential(1)}` +
      ` operations per round, limit ${POLISH_MAX_WORK.toExponential(0)})`
    );
  return undefined;
}

/** The kernel column K(x_j, x_i) for every row i. */
function kernelColumn(p: SvmProblem, j: number): Float64Array {
  const col = new Float64Array(p.rows);
  for (let i = 0; i < p.rows; i++) col[i] = kernelValue(p, j, p.x, i * p.cols);
  return col;
}

/** G = Q alpha - 1 with Q_ij = t_i t_j K_ij, in float64 (through w for the linear kernel). */
function dualGradient(p: SvmProblem, alpha: Float64Array): Float64Array {
  const f = decisionsAt(
    p,
    alpha,
    0,
    Array.from({ length: p.rows }, (_, i) => i),
  );
  return f.map((v, i) => p.t[i] * v - 1);
}

/** The maximal violating pair gap m(alpha) - M(alpha) of the dual, and the bias it implies. */
function pairGap(p: SvmProblem, alpha: Float64Array, G: Float64Array): { gap: number; up: number; bias: number } {
  let m = -Infinity;
  let M = Infinity;
  let up = -1;
  for (let i = 0; i < p.rows; i++) {
    const v = -p.t[i] * G[i];
    const inUp = (p.t[i] > 0 && alpha[i] < p.C) || (p.t[i] < 0 && alpha[i] > 0);
    const inLow = (p.t[i] > 0 && alpha[i] > 0) || (p.t[i] < 0 && alpha[i] < p.C);
    if (inUp && v > m) [m, up] = [v, i];
    if (inLow && v < M) M = v;
  }
  return { gap: m - M, up, bias: (m + M) / 2 };
}

/**
 * Sequential minimal optimisation in float64 (libsvm's second-order working-set choice), from
 * alpha, until the maximal violating pair gap is below `tol` or `maxIterations` pass. Updates alpha
 * and G in place.
 */
function smo(p: SvmProblem, alpha: Float64Array, G: Float64Array, tol: number, maxIterations: number): void {
  const diag = Float64Array.from({ length: p.rows }, (_, i) => kernelValue(p, i, p.x, i * p.cols));
  for (let iter = 0; iter < maxIterations; iter++) {
    const { gap, up: i } = pairGap(p, alpha, G);
    if (gap <= tol || i < 0) return;
    const Ki = kernelColumn(p, i);
    const gi = -p.t[i] * G[i];
    let j = -1;
    let best = Infinity;
    for (let k = 0; k < p.rows; k++) {
      const inLow = (p.t[k] > 0 && alpha[k] > 0) || (p.t[k] < 0 && alpha[k] < p.C);
      const b = gi + p.t[k] * G[k];
      if (!inLow || b <= 0) continue;
      const a = Math.max(diag[i] + diag[k] - 2 * Ki[k], 1e-12);
      if (-(b * b) / a < best) [best, j] = [-(b * b) / a, k];
    }
    if (j < 0) return;
    const Kj = kernelColumn(p, j);
    const a = Math.max(diag[i] + diag[j] - 2 * Ki[j], 1e-12);
    const b = gi + p.t[j] * G[j];
    // Move along t_i d_i = -t_j d_j, the step clipped to the box for both.
    let step = b / a;
    const ti = p.t[i];
    const tj = p.t[j];
    step = Math.min(step, ti > 0 ? p.C - alpha[i] : alpha[i], tj > 0 ? alpha[j] : p.C - alpha[j]);
    if (!(step > 0)) return;
    const di = ti * step;
    const dj = -tj * step;
    alpha[i] += di;
    alpha[j] += dj;
    if (alpha[i] < 1e-14 * p.C) alpha[i] = 0;
    if (alpha[j] < 1e-14 * p.C) alpha[j] = 0;
    if (alpha[i] > p.C * (1 - 1e-14)) alpha[i] = p.C;
    if (alpha[j] > p.C * (1 - 1e-14)) alpha[j] = p.C;
    for (let k = 0; k < p.rows; k++) G[k] += p.t[k] * (ti * di * Ki[k] + tj * dj * Kj[k]);
  }
}

/**
 * Steps to the minimiser of the dual on the face alpha lies on (its bounded rows fixed, its free rows
 * on their margins, the equality exact), cut at the first bound a free row would cross, which then
 * joins its bound; up to `maxSteps` times. The dual objective falls along every such step (a convex
 * quadratic towards its minimiser on an affine set). Returns the bias when the last step was whole.
 */
function faceSteps(p: SvmProblem, alpha: Float64Array, maxSteps: number): number | undefined {
  const edge = 1e-12 * p.C;
  for (let k = 0; k < maxSteps; k++) {
    const free: number[] = [];
    const upper: number[] = [];
    for (let i = 0; i < p.rows; i++) {
      if (alpha[i] >= p.C - edge) upper.push(i);
      else if (alpha[i] > edge) free.push(i);
    }
    if (free.length === 0) return undefined;
    const solved = solveFree(p, free, upper);
    let step = 1;
    let blocking = -1;
    free.forEach((i, a) => {
      const target = solved.beta[a] * p.t[i];
      const d = target - alpha[i];
      const tau = d < 0 ? -alpha[i] / d : d > 0 ? (p.C - alpha[i]) / d : Infinity;
      if (tau < step) [step, blocking] = [tau, i];
    });
    free.forEach((i, a) => (alpha[i] += step * (solved.beta[a] * p.t[i] - alpha[i])));
    for (const j of upper) alpha[j] = p.C;
    if (blocking < 0) return solved.bias;
    alpha[blocking] = alpha[blocking] <= p.C / 2 ? 0 : p.C;
  }
  return undefined;
}

/**
 * From a (float32) solver's alpha: float64 SMO to a tightening pair gap, each stage finished by the
 * exact equality solution on the sets SMO identified, until the certificate holds: relative duality
 * gap <= 1e-9, alpha in the box, every margin on its side of 1.
 */
export function polishSvm(p: SvmProblem, start: Float64Array): PolishResult {
  const alpha = Float64Array.from(start, (a) => Math.min(Math.max(a, 0), p.C));
  // Restore t'alpha = 0, which float32 round-off breaks: scale the larger side down.
  let plus = 0;
  let minus = 0;
  for (let i = 0; i < p.rows; i++) p.t[i] > 0 ? (plus += alpha[i]) : (minus += alpha[i]);
  if (plus > 0 && minus > 0)
    for (let i = 0; i < p.rows; i++) alpha[i] *= p.t[i] > 0 ? Math.min(1, minus / plus) : Math.min(1, plus / minus);
  else alpha.fill(0);
  let best: { alpha: Float64Array; bias: number; relativeGap: number } | undefined;
  let G = dualGradient(p, alpha);
  const scale = Math.max(1, ...G.map(Math.abs));
  let tol = 1e-3 * scale;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    // SMO finds the sets; the face steps finish them exactly (SMO alone crawls on ill-conditioned kernels).
    smo(p, alpha, G, tol, 2 * p.rows + 1000);
    const faceBias = faceSteps(p, alpha, 20);
    G = dualGradient(p, alpha);
    const pg = pairGap(p, alpha, G);
    for (const bias of faceBias === undefined ? [pg.bias] : [faceBias, pg.bias]) {
      const c = certify(p, alpha, bias);
      const relativeGap = c.gap / Math.max(Math.abs(c.primal), 1e-300);
      if (!best || relativeGap < best.relativeGap) best = { alpha: Float64Array.from(alpha), bias, relativeGap };
    }
    if (best!.relativeGap <= POLISH_RELATIVE_GAP) {
      return {
        alpha: best!.alpha,
        bias: best!.bias,
        certified: true,
        rounds: round,
        relativeGap: best!.relativeGap,
        message:
          `certified by the float64 polish in ${round} round(s): relative ` +
          `duality gap ${best!.relativeGap.toExponential(2)} <= ` +
          `${POLISH_RELATIVE_GAP}, 0 <= alpha <= C, t'alpha = 0`,
      };
    }
    if (pg.gap <= tol) tol = Math.max(tol / 100, 1e-15 * scale);
  }
  const floor = resolutionFloor(p, best!.alpha);
  return {
    alpha: best!.alpha,
    bias: best!.bias,
    certified: false,
    rounds: MAX_ROUNDS,
    relativeGap: best!.relativeGap,
    message:
      `the float64 polish stopped at a relative duality gap of ` +
      `${best!.relativeGap.toExponential(2)} after ${MAX_ROUNDS} rounds, not ` +
      `${POLISH_RELATIVE_GAP}` +
      (best!.relativeGap <= 100 * floor
        ? `: float64's resolution for these feature scales is about ${floor.toExponential(1)} (one unit in ` +
          'the last place of each alpha moves the margins by that much); scaling the features would let it certify'
        : ''),
  };
}
