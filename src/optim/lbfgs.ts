// Limited-memory BFGS over a float64 parameter vector. The evaluator may run anywhere (tfjs on a
// backend, or float64 JS); the two-loop recursion itself is cheap and always runs in float64.

export interface Evaluation {
  readonly value: number;
  readonly gradient: Float64Array;
}

export type Evaluator = (theta: Float64Array) => Promise<Evaluation>;

export interface LbfgsOptions {
  readonly memory: number;
  readonly maxIterations: number;
  /** Stop when ||gradient||_inf <= this. */
  readonly gradientTolerance: number;
  readonly maxBacktracks: number;
  /** Stop early (e.g. divergence on separable data); returns a reason to stop or undefined. */
  readonly stopWhen?: (theta: Float64Array, e: Evaluation) => string | undefined;
}

export const LBFGS_DEFAULTS: LbfgsOptions = {
  memory: 10,
  maxIterations: 500,
  gradientTolerance: 1e-6,
  maxBacktracks: 30,
};

/** Armijo sufficient-decrease constant, as in Nocedal & Wright. */
const ARMIJO_C1 = 1e-4;

export type LbfgsStop = 'gradient' | 'max-iterations' | 'line-search' | 'stop-condition';

export interface LbfgsResult {
  readonly theta: Float64Array;
  readonly evaluation: Evaluation;
  readonly iterations: number;
  readonly stop: LbfgsStop;
  readonly message: string;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function infNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** The iterate, its evaluation and the curvature pairs: what one iteration reads and the next inherits. */
interface LbfgsState {
  theta: Float64Array;
  current: Evaluation;
  readonly sList: Float64Array[];
  readonly yList: Float64Array[];
}

interface Accepted {
  readonly theta: Float64Array;
  readonly e: Evaluation;
}

function result(state: LbfgsState, iter: number, stop: LbfgsStop, message: string): LbfgsResult {
  return { theta: state.theta, evaluation: state.current, iterations: iter, stop, message };
}

/** The checks at the top of an iteration, in their order: the caller's stop condition first. */
function stopBefore(state: LbfgsState, iter: number, opts: LbfgsOptions): LbfgsResult | undefined {
  const reason = opts.stopWhen?.(state.theta, state.current);
  if (reason) return result(state, iter, 'stop-condition', reason);
  if (infNorm(state.current.gradient) <= opts.gradientTolerance) {
    return result(state, iter, 'gradient', 'gradient below tolerance');
  }
  if (iter >= opts.maxIterations) return result(state, iter, 'max-iterations', `no convergence in ${iter} iterations`);
  return undefined;
}

function descent(state: LbfgsState): { direction: Float64Array; slope: number } {
  const { current, sList, yList } = state;
  const n = state.theta.length;
  const direction = twoLoop(current.gradient, sList, yList);
  let slope = dot(direction, current.gradient);
  if (!(slope < 0)) {
    // Curvature pairs went stale (float32 noise): restart from steepest descent.
    sList.length = 0;
    yList.length = 0;
    for (let i = 0; i < n; i++) direction[i] = -current.gradient[i];
    slope = dot(direction, current.gradient);
  }
  return { direction, slope };
}

/** Armijo backtracking from the first trial step; undefined when no trial decreased the objective. */
async function backtrack(
  evaluate: Evaluator,
  state: LbfgsState,
  direction: Float64Array,
  slope: number,
  maxBacktracks: number,
): Promise<Accepted | undefined> {
  const { theta, current } = state;
  const n = theta.length;
  // The first step has no curvature information: scale it to unit length.
  let step = state.sList.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
  for (let k = 0; k < maxBacktracks; k++) {
    const trial = new Float64Array(n);
    for (let i = 0; i < n; i++) trial[i] = theta[i] + step * direction[i];
    const e = await evaluate(trial);
    if (Number.isFinite(e.value) && e.value <= current.value + ARMIJO_C1 * step * slope) return { theta: trial, e };
    step *= 0.5;
  }
  return undefined;
}

/** Keeps the step's curvature pair when it is positive enough to keep H positive definite, then moves. */
function advance(state: LbfgsState, accepted: Accepted, memory: number): void {
  const { theta, current, sList, yList } = state;
  const n = theta.length;
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s[i] = accepted.theta[i] - theta[i];
    y[i] = accepted.e.gradient[i] - current.gradient[i];
  }
  if (dot(s, y) > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
    sList.push(s);
    yList.push(y);
    if (sList.length > memory) {
      sList.shift();
      yList.shift();
    }
  }
  state.theta = accepted.theta;
  state.current = accepted.e;
}

export async function lbfgs(evaluate: Evaluator, start: Float64Array, opts: LbfgsOptions): Promise<LbfgsResult> {
  const theta: Float64Array = Float64Array.from(start);
  const state: LbfgsState = { theta, current: await evaluate(theta), sList: [], yList: [] };
  for (let iter = 0; ; iter++) {
    const stop = stopBefore(state, iter, opts);
    if (stop) return stop;
    const { direction, slope } = descent(state);
    const accepted = await backtrack(evaluate, state, direction, slope, opts.maxBacktracks);
    if (!accepted) return result(state, iter, 'line-search', 'line search found no decrease (precision reached)');
    advance(state, accepted, opts.memory);
  }
}

/** Two-loop recursion: returns -H g for the implicit inverse-Hessian approximation H. */
function twoLoop(g: Float64Array, sList: Float64Array[], yList: Float64Array[]): Float64Array {
  const q = Float64Array.from(g);
  const k = sList.length;
  const alpha = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    const rho = 1 / dot(yList[i], sList[i]);
    alpha[i] = rho * dot(sList[i], q);
    for (let j = 0; j < q.length; j++) q[j] -= alpha[i] * yList[i][j];
  }
  if (k > 0) {
    const gamma = dot(sList[k - 1], yList[k - 1]) / dot(yList[k - 1], yList[k - 1]);
    for (let j = 0; j < q.length; j++) q[j] *= gamma;
  }
  for (let i = 0; i < k; i++) {
    const rho = 1 / dot(yList[i], sList[i]);
    const beta = rho * dot(yList[i], q);
    for (let j = 0; j < q.length; j++) q[j] += sList[i][j] * (alpha[i] - beta);
  }
  for (let j = 0; j < q.length; j++) q[j] = -q[j];
  return q;
}
