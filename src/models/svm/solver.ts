// Soft-margin SVM dual solved by decomposition (Joachims' SVMlight / Fan-Chen-Lin working sets):
// each outer step picks the q most violating indices, solves that q-dimensional subproblem exactly
// by SMO in float64 on the host, and updates the dual gradient with one batched kernel product on
// the backend. The intercept is unpenalised, so sum alpha_i t_i = 0 is kept exactly.
//   dual:  min 1/2 a'Qa - 1'a,  0 <= a <= C,  t'a = 0;   gradient G = Qa - 1
import os from 'node:os';
import type { FitProgress, Tf } from '../../types.js';
import { intercept } from './intercept.js';
import { kernelOperator, type KernelOperator, type SvmKernel } from './kernel-operator.js';

export interface SvmConfig {
  readonly C: number;
  readonly kernel: SvmKernel;
  /** Stop when the maximal violating pair gap m(a) - M(a) <= tolerance (libsvm's -e, default 1e-3). */
  readonly tolerance: number;
  readonly workingSet: number;
  readonly maxOuterIterations: number;
  /** Recompute G from scratch every this many outer steps, so float32 increments cannot drift. */
  readonly refreshEvery: number;
  /** Also stop once (P - D) / P <= this, checked every GAP_CHECK_EVERY steps (0: only the pair gap). */
  readonly relativeGap: number;
}

export const SVM_DEFAULTS: Omit<SvmConfig, 'kernel'> = {
  C: 1,
  tolerance: 1e-5,
  workingSet: 64,
  maxOuterIterations: 100000,
  refreshEvery: 200,
  relativeGap: 0,
};

/** The RBF column cache: at most this many bytes, and at most an eighth of the machine's memory. */
const KERNEL_CACHE_BYTES = 512 * 2 ** 20;

/** Enough for every column when they fit (10000 rows: 400 MB), else the budget. */
function kernelCacheBytes(rows: number): number {
  return Math.min(KERNEL_CACHE_BYTES, rows * rows * 4, Math.floor(os.totalmem() / 8));
}

/** How often (in outer steps) the duality gap is estimated from the running gradient. */
const GAP_CHECK_EVERY = 5;

export interface SvmSolution {
  readonly alpha: Float64Array;
  readonly bias: number;
  /** D = 1/2 sum alpha - 1/2 alpha'G from the solver's gradient (backend float32 products). */
  readonly dualObjective: number;
  /** P from the same gradient: t_i f_i = G_i + 1 + t_i b and alpha'Q alpha = alpha'(G + 1). */
  readonly primalObjective: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly violation: number;
  readonly message: string;
}

const TAU = 1e-12;
/** A refresh must cut the best gap so far by this factor to count as progress... */
const STALL_PROGRESS = 0.9;
/** ...and this many refreshes in a row without progress mean the solver has stalled. */
const STALL_REFRESHES = 5;
/** The most float32 elements one refresh product may allocate (128 MiB). */
const REFRESH_ELEMENTS = 2 ** 25;

/** Support vectors per refresh product: RBF builds an m x chunk block, linear a chunk x d upload. */
function refreshChunk(rows: number, cols: number, kernel: SvmConfig['kernel']): number {
  return Math.max(1, Math.floor(REFRESH_ELEMENTS / (kernel.type === 'rbf' ? rows : cols)));
}

/** In I_up: alpha can move in the direction that raises t_i alpha_i. */
function inUp(a: number, t: number, C: number): boolean {
  return (t > 0 && a < C) || (t < 0 && a > 0);
}

function inLow(a: number, t: number, C: number): boolean {
  return (t > 0 && a > 0) || (t < 0 && a < C);
}

/** m(a) - M(a) over the whole set, with -t_i G_i as the score. */
export function violation(
  alpha: Float64Array,
  t: Float64Array,
  g: Float64Array,
  C: number,
): { gap: number; up: number; low: number } {
  let up = -Infinity;
  let low = Infinity;
  for (let i = 0; i < alpha.length; i++) {
    const s = -t[i] * g[i];
    if (inUp(alpha[i], t[i], C)) up = Math.max(up, s);
    if (inLow(alpha[i], t[i], C)) low = Math.min(low, s);
  }
  return { gap: up - low, up, low };
}

function selectWorkingSet(alpha: Float64Array, t: Float64Array, g: Float64Array, C: number, q: number): number[] {
  // Scores -t_i G_i; the q largest of I_up and the q smallest of I_low matter: selected in O(m) on
  // typed arrays (this runs every step), then those few ordered.
  const m = alpha.length;
  const upIdx = new Int32Array(m);
  const upKey = new Float64Array(m);
  const lowIdx = new Int32Array(m);
  const lowKey = new Float64Array(m);
  let nUp = 0;
  let nLow = 0;
  for (let i = 0; i < m; i++) {
    const s = -t[i] * g[i];
    if (inUp(alpha[i], t[i], C)) {
      upIdx[nUp] = i;
      upKey[nUp++] = -s;
    }
    if (inLow(alpha[i], t[i], C)) {
      lowIdx[nLow] = i;
      lowKey[nLow++] = s;
    }
  }
  const up = smallest(upIdx, upKey, nUp, q);
  const low = smallest(lowIdx, lowKey, nLow, q);
  const chosen = new Set<number>();
  for (let k = 0; chosen.size < q && (k < up.length || k < low.length); k++) {
    if (k < up.length) chosen.add(up[k]);
    if (k < low.length && chosen.size < q) chosen.add(low[k]);
  }
  return [...chosen];
}

/**
 * The indices of the k smallest keys among the first n, smallest first (Hoare's selection, then a sort of k; reorders
 * its arguments).
 */
function smallest(idx: Int32Array, keys: Float64Array, n: number, k: number): number[] {
  if (n > k) {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const pivot = keys[(lo + hi) >> 1];
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (keys[i] < pivot) i++;
        while (keys[j] > pivot) j--;
        if (i <= j) {
          const ti = idx[i];
          idx[i] = idx[j];
          idx[j] = ti;
          const tk = keys[i];
          keys[i] = keys[j];
          keys[j] = tk;
          i++;
          j--;
        }
      }
      if (k - 1 <= j) hi = j;
      else if (k - 1 >= i) lo = i;
      else break;
    }
  }
  const count = Math.min(n, k);
  return Array.from({ length: count }, (_, r) => r)
    .sort((a, b) => keys[a] - keys[b])
    .map((r) => idx[r]);
}

/** Q restricted to the block: Q_rc = t_r t_c K_rc. */
type BlockQ = (r: number, c: number) => number;

/** The first index of the pair: the maximal -t_r G_r over I_up of the block (-1 if I_up is empty). */
function maximalUp(a: Float64Array, tb: Float64Array, gb: Float64Array, C: number): { i: number; gmax: number } {
  let i = -1;
  let gmax = -Infinity;
  for (let r = 0; r < a.length; r++) {
    if (inUp(a[r], tb[r], C) && -tb[r] * gb[r] > gmax) {
      gmax = -tb[r] * gb[r];
      i = r;
    }
  }
  return { i, gmax };
}

/** WSS 3 of Fan, Chen and Lin: the second index by the objective decrease of the pair (-1 if none decreases it). */
function secondOrderLow(
  a: Float64Array,
  tb: Float64Array,
  gb: Float64Array,
  Qb: BlockQ,
  C: number,
  i: number,
  gmax: number,
): { j: number; gmin: number } {
  let j = -1;
  let best = Infinity;
  let gmin = Infinity;
  for (let r = 0; r < a.length; r++) {
    if (!inLow(a[r], tb[r], C)) continue;
    const s = -tb[r] * gb[r];
    gmin = Math.min(gmin, s);
    const b = gmax - s;
    if (b > 0) {
      const curv = Math.max(Qb(i, i) + Qb(r, r) - 2 * tb[i] * tb[r] * Qb(i, r), TAU);
      const obj = -(b * b) / curv;
      if (obj < best) {
        best = obj;
        j = r;
      }
    }
  }
  return { j, gmin };
}

/** The pair's move for t_i != t_j (a_i - a_j is kept), clipped to the box. */
function moveOpposite(a: Float64Array, gb: Float64Array, i: number, j: number, curv: number, C: number): void {
  const delta = (-gb[i] - gb[j]) / curv;
  const diff = a[i] - a[j];
  a[i] += delta;
  a[j] += delta;
  if (diff > 0 && a[j] < 0) {
    a[j] = 0;
    a[i] = diff;
  } else if (diff <= 0 && a[i] < 0) {
    a[i] = 0;
    a[j] = -diff;
  }
  if (diff > 0 && a[i] > C) {
    a[i] = C;
    a[j] = C - diff;
  } else if (diff <= 0 && a[j] > C) {
    a[j] = C;
    a[i] = C + diff;
  }
}

/** The pair's move for t_i = t_j (a_i + a_j is kept), clipped to the box. */
function moveSame(a: Float64Array, gb: Float64Array, i: number, j: number, curv: number, C: number): void {
  const delta = (gb[i] - gb[j]) / curv;
  const sum = a[i] + a[j];
  a[i] -= delta;
  a[j] += delta;
  if (sum > C && a[i] > C) {
    a[i] = C;
    a[j] = sum - C;
  } else if (sum <= C && a[j] < 0) {
    a[j] = 0;
    a[i] = sum;
  }
  if (sum > C && a[j] > C) {
    a[j] = C;
    a[i] = sum - C;
  } else if (sum <= C && a[i] < 0) {
    a[i] = 0;
    a[j] = sum;
  }
}

/**
 * SMO on the subproblem over B with the rest fixed: the gradient restricted to B is updated in
 * place; returns the change of alpha on B.
 */
function solveSubproblem(
  block: readonly number[],
  gram: Float64Array,
  alpha: Float64Array,
  t: Float64Array,
  g: Float64Array,
  C: number,
  tol: number,
): Float64Array {
  const q = block.length;
  const a = Float64Array.from(block, (i) => alpha[i]);
  const tb = Float64Array.from(block, (i) => t[i]);
  const gb = Float64Array.from(block, (i) => g[i]);
  const start = Float64Array.from(a);
  const Qb: BlockQ = (r, c) => tb[r] * tb[c] * gram[r * q + c];
  for (let iter = 0; iter < 100 * q; iter++) {
    const { i, gmax } = maximalUp(a, tb, gb, C);
    if (i < 0) break;
    const { j, gmin } = secondOrderLow(a, tb, gb, Qb, C, i, gmax);
    if (j < 0 || gmax - gmin <= tol) break;
    // Move along t_i d_i = -t_j d_j, clipped to the box.
    const curv = Math.max(Qb(i, i) + Qb(j, j) - 2 * tb[i] * tb[j] * Qb(i, j), TAU);
    const oldI = a[i];
    const oldJ = a[j];
    if (tb[i] !== tb[j]) moveOpposite(a, gb, i, j, curv, C);
    else moveSame(a, gb, i, j, curv, C);
    const di = a[i] - oldI;
    const dj = a[j] - oldJ;
    for (let r = 0; r < q; r++) gb[r] += Qb(r, i) * di + Qb(r, j) * dj;
  }
  for (let r = 0; r < q; r++) alpha[block[r]] = a[r];
  return a.map((v, r) => v - start[r]);
}

/** P and D from the gradient alone: t_i f_i = G_i + 1 + t_i b, alpha'Q alpha = alpha'(G + 1). */
function primalDual(
  alpha: Float64Array,
  t: Float64Array,
  g: Float64Array,
  C: number,
  bias: number,
): { primal: number; dual: number } {
  let dual = 0;
  let quad = 0;
  let hingeSum = 0;
  for (let i = 0; i < alpha.length; i++) {
    dual += 0.5 * alpha[i] * (1 - g[i]);
    quad += alpha[i] * (g[i] + 1);
    hingeSum += Math.max(0, -g[i] - t[i] * bias);
  }
  return { primal: 0.5 * quad + (Number.isFinite(C) ? C * hingeSum : hingeSum > 0 ? Infinity : 0), dual };
}

function relativeGapOf(alpha: Float64Array, t: Float64Array, g: Float64Array, C: number): number {
  const { primal, dual } = primalDual(alpha, t, g, C, intercept(alpha, t, g, C));
  return (primal - dual) / Math.max(Math.abs(primal), 1e-300);
}

/** What the outer steps share: the iterate, its gradient, and the refresh and stall bookkeeping. */
interface DualState {
  readonly op: KernelOperator;
  readonly t: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly config: SvmConfig;
  readonly alpha: Float64Array;
  readonly g: Float64Array;
  readonly q: number;
  sinceRefresh: number;
  bestGap: number;
  stalledRefreshes: number;
}

/** How an outer step ended: go on, stop (converged or no move), stalled, or the relative gap reached. */
type OuterOutcome = 'continue' | 'stop' | 'stalled' | 'gap-reached';

/** G recomputed from scratch, from the support vectors only. */
async function refresh(s: DualState): Promise<void> {
  const { op, t, rows, cols, alpha, g } = s;
  const support: number[] = [];
  for (let i = 0; i < rows; i++) if (alpha[i] !== 0) support.push(i);
  g.fill(-1);
  const step = refreshChunk(rows, cols, s.config.kernel);
  for (let k = 0; k < support.length; k += step) {
    const chunk = support.slice(k, k + step);
    const kd = await op.applyBlock(
      chunk,
      Float64Array.from(chunk, (i) => t[i] * alpha[i]),
    );
    for (let i = 0; i < rows; i++) g[i] += t[i] * kd[i];
  }
  s.sinceRefresh = 0;
}

/** True once STALL_REFRESHES fresh gaps in a row failed to improve on the best by STALL_PROGRESS. */
function noProgress(s: DualState, gap: number): boolean {
  if (gap < s.bestGap * STALL_PROGRESS) {
    s.bestGap = gap;
    s.stalledRefreshes = 0;
    return false;
  }
  return ++s.stalledRefreshes >= STALL_REFRESHES;
}

/** The relative duality gap test, confirmed on a fresh gradient (checked every GAP_CHECK_EVERY steps). */
async function relativeGapReached(s: DualState, iter: number): Promise<boolean> {
  const { alpha, t, g, config } = s;
  const C = config.C;
  if (config.relativeGap > 0 && iter % GAP_CHECK_EVERY === 0 && relativeGapOf(alpha, t, g, C) <= config.relativeGap) {
    await refresh(s);
    if (relativeGapOf(alpha, t, g, C) <= config.relativeGap) return true;
  }
  return false;
}

/** The updated gradient says converged: confirm on a freshly computed one before declaring it. */
async function confirmConvergence(s: DualState): Promise<OuterOutcome> {
  if (s.sinceRefresh === 0) return 'stop';
  await refresh(s);
  const fresh = violation(s.alpha, s.t, s.g, s.config.C).gap;
  if (fresh <= s.config.tolerance) return 'stop';
  // The updated gradient said converged, the fresh one did not: a refresh each step from here on,
  // so the stall test must run here too, or a tolerance below float32 resolution never ends.
  if (noProgress(s, fresh)) return 'stalled';
  return 'continue';
}

/** One decomposition step: the working set's subproblem solved, G updated by one batched product. */
async function decompositionStep(s: DualState): Promise<OuterOutcome> {
  const { op, t, rows, alpha, g, config } = s;
  const C = config.C;
  const block = selectWorkingSet(alpha, t, g, C, s.q);
  const gram = op.gram(block);
  const delta = solveSubproblem(block, gram, alpha, t, g, C, config.tolerance / 10);
  const coef = Float64Array.from(block, (i, r) => t[i] * delta[r]);
  if (coef.every((c) => c === 0)) return 'stop';
  const kd = await op.applyBlock(block, coef);
  for (let i = 0; i < rows; i++) g[i] += t[i] * kd[i];
  if (++s.sinceRefresh >= config.refreshEvery) {
    await refresh(s);
    // Below the backend's float32 resolution the gap stops shrinking: stop rather than cycle.
    if (noProgress(s, violation(alpha, t, g, C).gap)) return 'stalled';
  }
  return 'continue';
}

async function outerStep(s: DualState, iter: number, progress?: FitProgress): Promise<OuterOutcome> {
  const { alpha, t, g, config } = s;
  if (await relativeGapReached(s, iter)) return 'gap-reached';
  const v = violation(alpha, t, g, config.C);
  progress?.(
    iter,
    config.maxOuterIterations,
    `outer step ${iter}: violating-pair gap ${v.gap.toExponential(2)} (stops at ${config.tolerance})`,
  );
  if (v.gap <= config.tolerance) {
    const confirmed = await confirmConvergence(s);
    if (confirmed !== 'continue') return confirmed;
  }
  return decompositionStep(s);
}

function dualSolution(s: DualState, iter: number, gapReached: boolean, stalled: boolean): SvmSolution {
  const { alpha, t, g, config } = s;
  const C = config.C;
  const final = violation(alpha, t, g, C);
  const converged = final.gap <= config.tolerance || gapReached;
  const bias = intercept(alpha, t, g, C);
  const objectives = primalDual(alpha, t, g, C, bias);
  return {
    alpha,
    bias,
    dualObjective: objectives.dual,
    primalObjective: objectives.primal,
    iterations: iter,
    converged,
    violation: final.gap,
    message: gapReached
      ? `converged: relative duality gap below ${config.relativeGap} (maximal ` +
        `violating pair gap ${final.gap.toExponential(2)})`
      : converged
        ? `converged: maximal violating pair gap ${final.gap.toExponential(2)}`
        : stalled
          ? `stalled at gap ${final.gap.toExponential(2)} after ${iter} outer ` +
            `iterations: below the backend's float32 resolution; ask for a larger ` +
            `--tol`
          : `stopped after ${iter} outer iterations, gap ${final.gap.toExponential(2)}`,
  };
}

export async function solveDual(
  tf: Tf,
  x: Float64Array,
  t: Float64Array,
  rows: number,
  cols: number,
  config: SvmConfig,
  start?: Float64Array,
  /** Called every outer step (a large kernel fit takes minutes: the user sees it move). */
  progress?: FitProgress,
): Promise<SvmSolution> {
  const op = kernelOperator(tf, x, rows, cols, config.kernel, {
    cacheBytes: config.kernel.type === 'rbf' ? kernelCacheBytes(rows) : 0,
  });
  try {
    const state: DualState = {
      op,
      t,
      rows,
      cols,
      config,
      alpha: start ? Float64Array.from(start) : new Float64Array(rows),
      g: new Float64Array(rows).fill(-1),
      q: Math.min(config.workingSet, rows),
      sinceRefresh: 0,
      bestGap: Infinity,
      stalledRefreshes: 0,
    };
    if (start) await refresh(state);
    let iter = 0;
    let outcome: OuterOutcome = 'continue';
    for (; iter < config.maxOuterIterations; iter++) {
      outcome = await outerStep(state, iter, progress);
      if (outcome !== 'continue') break;
    }
    return dualSolution(state, iter, outcome === 'gap-reached', outcome === 'stalled');
  } finally {
    op.dispose();
  }
}
