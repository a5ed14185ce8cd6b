// Float64 finish for the float32 solve. Small problems get Newton steps (exact Hessian, Cholesky),
// which reach the optimum to ~1e-12 in a few steps; large ones continue L-BFGS in float64 only when
// float32 left the gradient above tolerance. Independent of the oracle in objective.ts on purpose.
import { solveSpd } from '../../optim/spd-solve.js';
import { lbfgs, LBFGS_DEFAULTS } from '../../optim/lbfgs.js';
import type { Dataset } from '../../types.js';

/** Newton's Hessian costs m (d+1)^2 multiply-adds in JS (~1 ns each); above ~1 ms of that, the float32
 *  L-BFGS on the backend, checked once in float64, is faster (measured on 10000 x 50: 55 ms vs 15 ms). */
export const NEWTON_POLISH_BUDGET = 2e6;
/** Newton stops at this ||g||_inf relative to C m: float64 round-off lives just below. */
const NEWTON_TOLERANCE = 1e-12;
const NEWTON_MAX_STEPS = 50;

export interface Polished {
  readonly theta: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  readonly message: string;
}

interface Pass {
  value: number;
  gradient: Float64Array;
  /** sigma'(f) per row, for the Hessian. */
  curvature: Float64Array;
}

function pass(data: Dataset, C: number, theta: Float64Array): Pass {
  const d = data.cols;
  const scale = C === Infinity ? 1 : C;
  const gradient = new Float64Array(d + 1);
  const curvature = new Float64Array(data.rows);
  let loss = 0;
  for (let i = 0; i < data.rows; i++) {
    let f = theta[d];
    const row = i * d;
    for (let j = 0; j < d; j++) f += data.x[row + j] * theta[j];
    const sign = data.y[i] > 0.5 ? 1 : -1;
    const z = -sign * f;
    loss += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    const p = 1 / (1 + Math.exp(-f));
    curvature[i] = p * (1 - p);
    const r = scale * (p - data.y[i]);
    for (let j = 0; j < d; j++) gradient[j] += r * data.x[row + j];
    gradient[d] += r;
  }
  let sq = 0;
  if (C !== Infinity) {
    for (let j = 0; j < d; j++) {
      gradient[j] += theta[j];
      sq += theta[j] * theta[j];
    }
  }
  return { value: C === Infinity ? loss : 0.5 * sq + C * loss, gradient, curvature };
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m;
}

export function newtonPolishPays(data: Dataset): boolean {
  return data.rows * (data.cols + 1) ** 2 <= NEWTON_POLISH_BUDGET;
}

export async function polish(
  data: Dataset,
  C: number,
  start: Float64Array,
  gradTol: number,
  maxIterations: number,
): Promise<Polished> {
  const scale = (C === Infinity ? 1 : C) * data.rows;
  if (newtonPolishPays(data))
    return newton(data, C, start, gradTol, NEWTON_TOLERANCE * scale, Math.min(NEWTON_MAX_STEPS, maxIterations));
  return lbfgsPolish(data, C, start, gradTol, maxIterations);
}

function newton(
  data: Dataset,
  C: number,
  start: Float64Array,
  gradTol: number,
  target: number,
  maxSteps: number,
): Polished {
  const n = data.cols + 1;
  let theta: Float64Array = Float64Array.from(start);
  let current = pass(data, C, theta);
  let steps = 0;
  for (; steps < maxSteps && maxAbs(current.gradient) > target; steps++) {
    const step = solveSpd(hessian(data, C, current.curvature), current.gradient);
    let slope = 0;
    for (let j = 0; j < n; j++) slope -= step[j] * current.gradient[j];
    let t = 1;
    let next: { theta: Float64Array; p: Pass } | undefined;
    for (let k = 0; k < 40; k++, t *= 0.5) {
      const trial = theta.map((v, j) => v - t * step[j]);
      const p = pass(data, C, trial);
      if (p.value <= current.value + 1e-4 * t * slope || maxAbs(p.gradient) < maxAbs(current.gradient)) {
        next = { theta: trial, p };
        break;
      }
    }
    if (!next) break;
    theta = next.theta;
    current = next.p;
  }
  const g = maxAbs(current.gradient);
  return {
    theta,
    iterations: steps,
    converged: g <= gradTol,
    message:
      g <= gradTol
        ? `converged (float64 Newton polish, ${steps} steps)`
        : `gradient ${g.toExponential(2)} above tolerance ${gradTol.toExponential(2)}`,
  };
}

/** H = diag(1,..,1,0) + C X~^T diag(s) X~ with X~ = [X, 1]; the intercept is unpenalised. */
function hessian(data: Dataset, C: number, curvature: Float64Array): Float64Array {
  const d = data.cols;
  const n = d + 1;
  const scale = C === Infinity ? 1 : C;
  const h = new Float64Array(n * n);
  const row = new Float64Array(n);
  for (let i = 0; i < data.rows; i++) {
    const s = scale * curvature[i];
    if (s === 0) continue;
    for (let j = 0; j < d; j++) row[j] = data.x[i * d + j];
    row[d] = 1;
    for (let a = 0; a < n; a++) {
      const ra = s * row[a];
      for (let b = 0; b <= a; b++) h[a * n + b] += ra * row[b];
    }
  }
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < a; b++) h[b * n + a] = h[a * n + b];
    if (C !== Infinity && a < d) h[a * n + a] += 1;
  }
  return h;
}

async function lbfgsPolish(
  data: Dataset,
  C: number,
  start: Float64Array,
  gradTol: number,
  maxIterations: number,
): Promise<Polished> {
  const first = pass(data, C, start);
  if (maxAbs(first.gradient) <= gradTol) {
    return {
      theta: Float64Array.from(start),
      iterations: 0,
      converged: true,
      message: 'converged (float32 solve, checked in float64)',
    };
  }
  const r = await lbfgs(async (theta) => pass(data, C, theta), start, {
    ...LBFGS_DEFAULTS,
    maxIterations,
    gradientTolerance: gradTol,
  });
  const converged = r.stop === 'gradient';
  return {
    theta: r.theta,
    iterations: r.iterations,
    converged,
    message: converged ? `converged (float64 L-BFGS polish, ${r.iterations} steps)` : r.message,
  };
}
