// Soft-margin SVM dual solved by decomposition (Joachims' SVMlight / Fan-Chen-Lin working sets):
// each outer step picks the q most violating indices, solves that q-dimensional subproblem exactly
// by SMO in float64 on the host, and updates the dual gradient with one batched kernel product on
// the backend. The intercept is unpenalised, so sum alpha_i t_i = 0 is kept exactly.
//   dual:  min 1/2 a'Qa - 1'a,  0 <= a <= C,  t'a = 0;   gradient G = Qa - 1
import os from 'node:os';
import type { FitProgress, Tf } from '../../types.js';
import { intercept } from './intercept.js';
import { kernelOperator, type SvmKernel } from './kernel-operator.js';

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
  const Qb = (r: number, c: number) => tb[r] * tb[c] * gram[r * q + c];
  for (let iter = 0; iter < 100 * q; iter++) {
    // WSS 3 of Fan, Chen and Lin (second-order choice of j given the maximal i).
    let i = -1;
    let gmax = -Infinity;
    for (let r = 0; r < q; r++) {
      if (inUp(a[r], tb[r], C) && -tb[r] * gb[r] > gmax) {
        gmax = -tb[r] * gb[r];
        i = r;
      }
    }
    if (i < 0) break;
    let j = -1;
    let best = Infinity;
    let gmin = Infinity;
    for (let r = 0; r < q; r++) {
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
    if (j < 0 || gmax - gmin <= tol) break;
    // Move along t_i d_i = -t_j d_j, clipped to the box.
    const curv = Math.max(Qb(i, i) + Qb(j, j) - 2 * tb[i] * tb[j] * Qb(i, j), TAU);
    const oldI = a[i];
    const oldJ = a[j];
    if (tb[i] !== tb[j]) {
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
    } else {
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
    const C = config.C;
    const alpha = start ? Float64Array.from(start) : new Float64Array(rows);
    const g = new Float64Array(rows).fill(-1);
    const q = Math.min(config.workingSet, rows);
    let iter = 0;
    let sinceRefresh = 0;
    let bestGap = Infinity;
    let stalledRefreshes = 0;
    let stalled = false;
    if (start) await refresh();
    /** True once STALL_REFRESHES fresh gaps in a row failed to improve on the best by STALL_PROGRESS. */
    const noProgress = (gap: number): boolean => {
      if (gap < bestGap * STALL_PROGRESS) {
        bestGap = gap;
        stalledRefreshes = 0;
        return false;
      }
      return ++stalledRefreshes >= STALL_REFRESHES;
    };
    let gapReached = false;
    for (; iter < config.maxOuterIterations; iter++) {
      if (
        config.relativeGap > 0 &&
        iter % GAP_CHECK_EVERY === 0 &&
        relativeGapOf(alpha, t, g, C) <= config.relativeGap
      ) {
        await refresh();
        if (relativeGapOf(alpha, t, g, C) <= config.relativeGap) {
          gapReached = true;
          break;
        }
      }
      const v = violation(alpha, t, g, C);
      progress?.(
        iter,
        config.maxOuterIterations,
        `outer step ${iter}: violating-pair gap ${v.gap.toExponential(2)} (stops at ${config.tolerance})`,
      );
      if (v.gap <= config.tolerance) {
        if (sinceRefresh === 0) break;
        // Confirm on a freshly computed gradient before declaring convergence.
        await refresh();
        const fresh = violation(alpha, t, g, C).gap;
        if (fresh <= config.tolerance) break;
        // The updated gradient said converged, the fresh one did not: a refresh each step from here on,
        // so the stall test must run here too, or a tolerance below float32 resolution never ends.
        if (noProgress(fresh)) {
          stalled = true;
          break;
        }
      }
      const block = selectWorkingSet(alpha, t, g, C, q);
      const gram = op.gram(block);
      const delta = solveSubproblem(block, gram, alpha, t, g, C, config.tolerance / 10);
      const coef = Float64Array.from(block, (i, r) => t[i] * delta[r]);
      if (coef.every((c) => c === 0)) break;
      const kd = await op.applyBlock(block, coef);
      for (let i = 0; i < rows; i++) g[i] += t[i] * kd[i];
      if (++sinceRefresh >= config.refreshEvery) {
        await refresh();
        // Below the backend's float32 resolution the gap stops shrinking: stop rather than cycle.
        if (noProgress(violation(alpha, t, g, C).gap)) {
          stalled = true;
          break;
        }
      }
    }
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
        ? `converged: relative duality gap below ${config.relativeGap} (maximal violating pair gap ${final.gap.toExponential(2)})`
        : converged
          ? `converged: maximal violating pair gap ${final.gap.toExponential(2)}`
          : stalled
            ? `stalled at gap ${final.gap.toExponential(2)} after ${iter} outer iterations: below the backend's float32 resolution; ask for a larger --tol`
            : `stopped after ${iter} outer iterations, gap ${final.gap.toExponential(2)}`,
    };

    async function refresh(): Promise<void> {
      const support: number[] = [];
      for (let i = 0; i < rows; i++) if (alpha[i] !== 0) support.push(i);
      g.fill(-1);
      const step = refreshChunk(rows, cols, config.kernel);
      for (let s = 0; s < support.length; s += step) {
        const chunk = support.slice(s, s + step);
        const kd = await op.applyBlock(
          chunk,
          Float64Array.from(chunk, (i) => t[i] * alpha[i]),
        );
        for (let i = 0; i < rows; i++) g[i] += t[i] * kd[i];
      }
      sinceRefresh = 0;
    }
  } finally {
    op.dispose();
  }
}
