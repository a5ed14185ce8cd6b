// The linear SVM's primal, smoothed and solved by Newton's method: the hinge max(0, u) is replaced by
// its Huber smoothing of width mu (u^2 / 2mu on [0, mu], u - mu/2 beyond), a piecewise quadratic in
// (w, b) whose generalised Hessian is I_w + (C/mu) X~_B' X~_B over the band B = {0 < u_i <= mu},
// X~ = [X, 1]. Newton with an exact line search ends a stage in a few steps (finitely, once the band
// stops changing); mu then shrinks tenfold from the stage's optimum. A wide band's Hessian product
// (O(|B| d^2), the early stages) runs on the backend; the O(m d) products (which must be exact), a
// narrow band's Hessian, the (d+1)-square system, the line search and the certificate run in
// float64 on the host.
//
// Why it certifies: the smoothed problem's dual is the SVM dual plus (mu / 2C) ||alpha||^2, and its
// optimum gives alpha_i = C min(max(u_i / mu, 0), 1), feasible (sum alpha t = 0 is the intercept's
// gradient). For rows beyond the band the hinge and Huber terms differ by exactly what that dual
// term adds, so the duality gap comes from the band alone: at most C mu / 4 per band row. A few
// stages take it below the target (the gap itself, from the float64 certificate, decides).
import type { Tensor2D } from '@tensorflow/tfjs';
import { solveSpd } from '../../optim/spd-solve.js';
import type { Dataset, Tf } from '../../types.js';
import { hingeMinimisingInterval } from './intercept.js';
import { activeSetSolve } from './active-set.js';
import { violation } from './solver.js';

/** The first smoothing width: the hinge's own scale (margins are measured against 1). */
const FIRST_MU = 1;
const MU_SHRINK = 0.1;
/** The narrowest width tried (the gap stops improving before it on every problem measured). */
const SMALLEST_MU = 1e-6;
const MAX_STEPS_PER_STAGE = 60;
/** A stage ends when the Newton decrement g'H^-1 g is below this share of the objective. */
const STAGE_DECREMENT = 1e-15;
/** Secant steps of the line search (its derivative is piecewise linear: few are needed). */
const LINE_SEARCH_STEPS = 30;
/** Band products up to this many multiply-adds (about 20 ms of JavaScript) are formed in float64 on the host. */
const HOST_HESSIAN_WORK = 2e7;
/** A band with more than 1 / MASK_SHARE of the rows is masked on the backend, a smaller one gathered. */
const MASK_SHARE = 8;
/**
 * The active-set solve is tried when the band has at most this many rows per dimension (the optimum has at most d + 1
 * free)...
 */
const ACTIVE_SET_FREE_PER_DIMENSION = 2;
/** ...and at most this many in all (each round factors a |F|-square matrix). */
const ACTIVE_SET_MAX_FREE = 1000;
const ACTIVE_SET_ROUNDS = 10;

/** The data on the backend, in both orientations. */
interface DeviceMatrix {
  readonly x: Tensor2D;
  readonly xt: Tensor2D;
}

/** A feasible dual point (0 <= alpha <= C, sum alpha t = 0 to round-off) and its float64 certificate. */
export interface DualPoint {
  readonly alpha: Float64Array;
  /** The intercept that minimises P for w = sum alpha t x. */
  readonly bias: number;
  readonly primal: number;
  readonly dual: number;
  /** (P - D) / P. */
  readonly relativeGap: number;
  /** The maximal violating pair gap of alpha (what the decomposition solver's tolerance bounds). */
  readonly pairGap: number;
}

export interface NewtonStart extends DualPoint {
  /** Smoothing widths solved, and Newton steps over all of them. */
  readonly stages: number;
  readonly steps: number;
}

/** Derivative of the Huber-smoothed hinge, min(max(u / mu, 0), 1). */
function huberSlope(u: number, mu: number): number {
  return u <= 0 ? 0 : u >= mu ? 1 : u / mu;
}

function huber(u: number, mu: number): number {
  return u <= 0 ? 0 : u >= mu ? u - mu / 2 : (u * u) / (2 * mu);
}

/**
 * X v_w + v_b in float64 on the host. The margins, the gradient and the line search's direction
 * must all be float64: at the optimum w = sum alpha t x, and a float32 X'r summed over 10^5 rows
 * misses that by enough to cost the dual point a relative gap of 1e-4 (or to stop the line search
 * on a wrong sign).
 */
export function hostDecisions(data: Dataset, v: Float64Array): Float64Array {
  const { rows, cols, x } = data;
  const f = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = v[cols];
    const o = i * cols;
    for (let k = 0; k < cols; k++) s += x[o + k] * v[k];
    f[i] = s;
  }
  return f;
}

/** X' r in float64 on the host, skipping the rows with r_i = 0 (beyond their margin). */
function hostTransposedProduct(data: Dataset, r: Float64Array): Float64Array {
  const { rows, cols, x } = data;
  const out = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const c = r[i];
    if (c === 0) continue;
    const o = i * cols;
    for (let k = 0; k < cols; k++) out[k] += c * x[o + k];
  }
  return out;
}

/** X_B' X_B and the column sums of X_B in float64 on the host (row-major d x d, then d). */
function hostBandProducts(data: Dataset, band: Int32Array): { gram: Float64Array; sums: Float64Array } {
  const { cols, x } = data;
  const gram = new Float64Array(cols * cols);
  const sums = new Float64Array(cols);
  for (const i of band) {
    const o = i * cols;
    for (let a = 0; a < cols; a++) {
      const xa = x[o + a];
      sums[a] += xa;
      for (let c = 0; c <= a; c++) gram[a * cols + c] += xa * x[o + c];
    }
  }
  for (let a = 0; a < cols; a++) for (let c = 0; c < a; c++) gram[c * cols + a] = gram[a * cols + c];
  return { gram, sums };
}

/**
 * The same on the backend, in float32. A band of many rows is masked rather than gathered: on wasm
 * X'(mask X) with X' already transposed took 95 ms at 100000 x 100 against 250 ms for the gathered
 * half of it multiplied with a transposed operand.
 */
async function deviceBandProducts(
  tf: Tf,
  device: DeviceMatrix,
  band: Int32Array,
): Promise<{ gram: Float32Array; sums: Float32Array }> {
  const rows = device.x.shape[0];
  const [gramT, sumT] = tf.tidy(() => {
    if (band.length * MASK_SHARE < rows) {
      const xb = tf.gather(device.x, tf.tensor1d(band, 'int32'));
      return [tf.matMul(xb, xb, true, false), tf.sum(xb, 0)];
    }
    const mask = new Float32Array(rows);
    for (const i of band) mask[i] = 1;
    const maskRow = tf.tensor2d(mask, [1, rows]);
    return [tf.matMul(tf.mul(device.xt, maskRow), device.x), tf.matMul(maskRow, device.x)];
  });
  const [gram, sums] = await Promise.all([gramT.data() as Promise<Float32Array>, sumT.data() as Promise<Float32Array>]);
  tf.dispose([gramT, sumT]);
  return { gram, sums };
}

/**
 * (C/mu) X~_B' X~_B + diag(1, .., 1, 0). A wide band's product (the early, wide smoothing widths)
 * runs on the backend; a narrow one in float64 on the host, where the late stages need it: there
 * C/mu is large, and a float32 Hessian's error, that large times, misdirects the final steps.
 */
async function hessian(
  tf: Tf,
  device: DeviceMatrix,
  data: Dataset,
  band: Int32Array,
  scale: number,
): Promise<Float64Array> {
  const cols = data.cols;
  const n = cols + 1;
  const h = new Float64Array(n * n);
  if (band.length > 0) {
    const { gram, sums } =
      band.length * cols * cols > HOST_HESSIAN_WORK
        ? await deviceBandProducts(tf, device, band)
        : hostBandProducts(data, band);
    for (let a = 0; a < cols; a++) {
      for (let c = 0; c < cols; c++) h[a * n + c] = scale * gram[a * cols + c];
      h[a * n + cols] = h[cols * n + a] = scale * sums[a];
    }
  }
  // An empty band leaves the intercept without curvature (the objective is linear in b there):
  // curvature as if one row were in the band keeps the step finite; the line search does the rest.
  h[cols * n + cols] = scale * Math.max(band.length, 1);
  for (let a = 0; a < cols; a++) h[a * n + a] += 1;
  return h;
}

/**
 * The minimiser over s of the smoothed objective along theta + s dir (its derivative is increasing and piecewise
 * linear).
 */
function lineSearch(
  f: Float64Array,
  df: Float64Array,
  t: Float64Array,
  theta: Float64Array,
  dir: Float64Array,
  C: number,
  mu: number,
): number {
  const cols = theta.length - 1;
  let wd = 0;
  let dd = 0;
  for (let k = 0; k < cols; k++) {
    wd += theta[k] * dir[k];
    dd += dir[k] * dir[k];
  }
  const slope = (s: number): number => {
    let v = wd + s * dd;
    for (let i = 0; i < f.length; i++) {
      const u = 1 - t[i] * (f[i] + s * df[i]);
      if (u > 0) v -= C * t[i] * df[i] * huberSlope(u, mu);
    }
    return v;
  };
  let lo = 0;
  let loSlope = slope(0);
  if (loSlope >= 0) return 0;
  let hi = 1;
  let hiSlope = slope(hi);
  // Newton's full step usually lands on the minimiser's piece; when it falls short, look further.
  while (hiSlope < 0 && hi < 64) {
    [lo, loSlope] = [hi, hiSlope];
    hi *= 2;
    hiSlope = slope(hi);
  }
  if (hiSlope <= 0) return hi;
  // Illinois regula falsi: exact on a linear piece, and never stuck at one end.
  let side = 0;
  for (let k = 0; k < LINE_SEARCH_STEPS && hi - lo > 1e-12 * hi; k++) {
    const s = (lo * hiSlope - hi * loSlope) / (hiSlope - loSlope);
    const v = slope(s);
    if (v === 0) return s;
    if (v < 0) {
      [lo, loSlope] = [s, v];
      if (side === -1) hiSlope /= 2;
      side = -1;
    } else {
      [hi, hiSlope] = [s, v];
      if (side === 1) loSlope /= 2;
      side = 1;
    }
  }
  return (lo + hi) / 2;
}

/**
 * alpha_i = C min(max(u_i / mu, 0), 1), made exactly feasible (sum alpha t = 0): the heavier class's
 * free alphas scaled down where they can absorb the excess, else all of that class's. Bounded
 * alphas stay at C where possible: a solver reads its intercept off the free ones.
 */
export function balancedDual(u: Float64Array, t: Float64Array, C: number, mu: number): Float64Array {
  const alpha = Float64Array.from(u, (v) => C * huberSlope(v, mu));
  let balance = 0;
  for (let i = 0; i < alpha.length; i++) balance += alpha[i] * t[i];
  const heavy = balance > 0 ? 1 : -1;
  let freeSum = 0;
  let heavySum = 0;
  for (let i = 0; i < alpha.length; i++) {
    if (t[i] !== heavy) continue;
    heavySum += alpha[i];
    if (alpha[i] < C) freeSum += alpha[i];
  }
  const excess = Math.abs(balance);
  const onFree = freeSum >= excess;
  const factor = onFree ? (freeSum > 0 ? 1 - excess / freeSum : 1) : heavySum > 0 ? 1 - excess / heavySum : 1;
  for (let i = 0; i < alpha.length; i++) if (t[i] === heavy && (!onFree || alpha[i] < C)) alpha[i] *= factor;
  return alpha;
}

/**
 * A feasible alpha's own certificate in float64: D(alpha), and P at w = sum alpha t x with the
 * intercept that minimises P for that w (`biasHint` where it does). This is the gap a solver
 * starting from alpha sees, not the smaller P(theta) - D(alpha).
 */
function certifyDual(data: Dataset, t: Float64Array, C: number, alpha: Float64Array, biasHint: number): DualPoint {
  const { rows, cols, x } = data;
  const w = new Float64Array(cols + 1);
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    if (alpha[i] === 0) continue;
    sum += alpha[i];
    const c = alpha[i] * t[i];
    for (let k = 0; k < cols; k++) w[k] += c * x[i * cols + k];
  }
  let ww = 0;
  for (let k = 0; k < cols; k++) ww += w[k] * w[k];
  const g = hostDecisions(data, w).map((f, i) => t[i] * f - 1);
  const interval = hingeMinimisingInterval(t, g);
  const b = interval ? Math.min(Math.max(biasHint, interval[0]), interval[1]) : biasHint;
  let loss = 0;
  for (let i = 0; i < rows; i++) loss += Math.max(0, -g[i] - t[i] * b);
  const primal = 0.5 * ww + C * loss;
  const dual = sum - 0.5 * ww;
  return {
    alpha,
    bias: b,
    primal,
    dual,
    relativeGap: (primal - dual) / Math.max(Math.abs(primal), 1e-300),
    pairGap: violation(alpha, t, g, C).gap,
  };
}

/**
 * The stage's dual point, or where that misses the target and the band is narrow, the exact
 * optimum found from the sets the band suggests (active-set.ts) if that is better certified.
 */
function stagePoint(
  data: Dataset,
  t: Float64Array,
  C: number,
  mu: number,
  theta: Float64Array,
  f: Float64Array,
  targetGap: number,
): DualPoint {
  const u = f.map((v, i) => 1 - t[i] * v);
  const alpha = balancedDual(u, t, C, mu);
  const smoothed = certifyDual(data, t, C, alpha, theta[data.cols]);
  if (smoothed.relativeGap <= targetGap) return smoothed;
  const maxFree = Math.min(ACTIVE_SET_MAX_FREE, ACTIVE_SET_FREE_PER_DIMENSION * (data.cols + 1));
  let free = 0;
  for (const a of alpha) if (a > 0 && a < C) free++;
  if (free > maxFree) return smoothed;
  const exact = activeSetSolve(
    { x: data.x, t, rows: data.rows, cols: data.cols, C, kernel: { type: 'linear' } },
    alpha,
    ACTIVE_SET_ROUNDS,
    maxFree,
  );
  if (!exact) return smoothed;
  const point = certifyDual(data, t, C, exact.alpha, exact.bias);
  return point.relativeGap < smoothed.relativeGap ? point : smoothed;
}

/**
 * The smoothed objective at theta (from its margins f), its gradient, and the band {0 < u_i <= mu}
 * whose rows carry the curvature.
 */
function smoothedGradient(
  data: Dataset,
  t: Float64Array,
  C: number,
  mu: number,
  theta: Float64Array,
  f: Float64Array,
): { objective: number; gradient: Float64Array; band: Int32Array } {
  const { rows, cols } = data;
  const r = new Float64Array(rows);
  const bandRows: number[] = [];
  let objective = 0;
  for (let i = 0; i < rows; i++) {
    const u = 1 - t[i] * f[i];
    if (u <= 0) continue;
    r[i] = -C * t[i] * huberSlope(u, mu);
    objective += C * huber(u, mu);
    if (u <= mu) bandRows.push(i);
  }
  const xr = hostTransposedProduct(data, r);
  const gradient = new Float64Array(cols + 1);
  for (let k = 0; k < cols; k++) {
    gradient[k] = theta[k] + xr[k];
    objective += 0.5 * theta[k] * theta[k];
  }
  for (let i = 0; i < rows; i++) gradient[cols] += r[i];
  return { objective, gradient, band: Int32Array.from(bandRows) };
}

/** Newton steps at one smoothing width, theta and its margins f updated in place; returns the steps taken. */
async function newtonStage(
  tf: Tf,
  device: DeviceMatrix,
  data: Dataset,
  t: Float64Array,
  C: number,
  mu: number,
  theta: Float64Array,
  f: Float64Array,
): Promise<number> {
  const { rows, cols } = data;
  let steps = 0;
  for (let step = 0; step < MAX_STEPS_PER_STAGE; step++) {
    const { objective, gradient, band } = smoothedGradient(data, t, C, mu, theta, f);
    const h = await hessian(tf, device, data, band, C / mu);
    const dir = solveSpd(h, gradient).map((v) => -v);
    let decrement = 0;
    for (let k = 0; k <= cols; k++) decrement -= gradient[k] * dir[k];
    if (!(decrement > STAGE_DECREMENT * Math.max(objective, 1))) break;
    const df = hostDecisions(data, dir);
    const s = lineSearch(f, df, t, theta, dir, C, mu);
    if (s === 0) break;
    for (let k = 0; k <= cols; k++) theta[k] += s * dir[k];
    for (let i = 0; i < rows; i++) f[i] += s * df[i];
    steps++;
  }
  return steps;
}

/**
 * Solves the smoothed primal stage by stage until the float64 relative duality gap of the dual point
 * it implies is at most `targetGap` (or the smallest width is reached); returns that dual point.
 */
export async function smoothedNewton(
  tf: Tf,
  data: Dataset,
  t: Float64Array,
  C: number,
  targetGap: number,
  /** Told after every smoothing width (a large fit takes seconds per width: the user sees it move). */
  progress?: (label: string) => void,
): Promise<NewtonStart> {
  const { rows, cols } = data;
  const x = tf.tensor2d(Float32Array.from(data.x), [rows, cols]);
  const device: DeviceMatrix = { x, xt: tf.tidy(() => tf.transpose(x) as Tensor2D) };
  try {
    const theta = new Float64Array(cols + 1);
    let best: DualPoint | undefined;
    let steps = 0;
    let stages = 0;
    // The margins X theta_w + theta_b, kept up to date along the steps (f += s df) rather than recomputed.
    const f = hostDecisions(data, theta);
    for (let mu = FIRST_MU; mu >= SMALLEST_MU; mu *= MU_SHRINK) {
      stages++;
      steps += await newtonStage(tf, device, data, t, C, mu, theta, f);
      const stage = stagePoint(data, t, C, mu, theta, f, targetGap);
      progress?.(
        `smoothing width ${mu.toExponential(0)}: ${steps} Newton steps so far, ` +
          `relative duality gap ${stage.relativeGap.toExponential(2)} (stops at ` +
          `${targetGap})`,
      );
      // A width that does not improve on the last means round-off (float64 margins, a float32 band
      // Hessian) has caught up with the smoothing: narrower ones would not do better.
      if (best && stage.relativeGap >= best.relativeGap) break;
      best = stage;
      if (best.relativeGap <= targetGap) break;
    }
    return { ...best!, stages, steps };
  } finally {
    tf.dispose([device.x, device.xt]);
  }
}
