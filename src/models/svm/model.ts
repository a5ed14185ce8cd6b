// The reference soft-margin SVM: labels {0,1} or {-1,+1} mapped to t in {-1,+1}, the dual solved by
// decomposition with kernel products on the backend (solver.ts), weights recovered for the linear kernel.
import os from 'node:os';
import type { Dataset, FitProgress, Tf } from '../../types.js';
import type { SvmKernel } from './kernel-operator.js';
import { solveDual, SVM_DEFAULTS, type SvmConfig, type SvmSolution } from './solver.js';
import { certify } from './certificate.js';
import type { NewtonStart } from './smoothed-newton.js';
import { linearWarmStart } from './warm-start.js';
import { checkWorkingMemory } from '../memory.js';

export { SVM_DEFAULTS };

/** Below this many rows the decomposition alone is as fast; at 1000 x 10 the start cut a fit from 1.7 s to 0.12 s. */
export const WARM_START_MIN_ROWS = 300;
/** The warm start's own relative duality gap when the fit runs to its pair-gap tolerance. */
const WARM_START_GAP = 1e-8;
/**
 * The hard margin (C = inf) is solved as a soft margin with this C: on separable data no alpha
 * reaches it and the two solutions coincide; on data that is not separable some margin stays
 * below 1 (or some alpha at the bound), which is how non-separability is detected in finite time.
 */
const HARD_MARGIN_C = 1e6;
/** Margins are computed from a float32 solve: within tfjs's float32 tolerance of 1 counts as 1. */
const HARD_MARGIN_SLACK = 1e-3;

export interface SvmFit extends SvmSolution {
  readonly t: Float64Array;
  readonly weights?: Float64Array;
}

export function signs(y: Float64Array): Float64Array {
  return Float64Array.from(y, (v) => (v > 0.5 ? 1 : -1));
}

/** Refuses problems whose device blocks cannot fit, naming the sizes, instead of crashing the process. */
export function checkMemory(rows: number, cols: number, workingSet: number, totalBytes = os.totalmem()): void {
  checkWorkingMemory(
    [
      [`the data (${rows} x ${cols} float32)`, rows * cols * 4],
      [`a kernel block (${rows} x ${workingSet} float32)`, rows * workingSet * 4],
    ],
    'use fewer rows or a smaller working set',
    totalBytes,
  );
}

/**
 * How far the warm start goes: where the fit stops at a relative gap, half of it (the decomposition
 * then only confirms it); otherwise a gap far below what the pair-gap tolerance implies.
 */
function warmStartGap(config: SvmConfig): number {
  return config.relativeGap > 0 ? config.relativeGap / 2 : WARM_START_GAP;
}

/** The relative gap at which a certified start is the answer. */
function acceptedGap(config: SvmConfig): number {
  return config.relativeGap > 0 ? config.relativeGap : WARM_START_GAP;
}

function newtonSolution(n: NewtonStart, target: number): SvmSolution {
  return {
    alpha: n.alpha,
    bias: n.bias,
    dualObjective: n.dual,
    primalObjective: n.primal,
    iterations: n.steps,
    converged: true,
    violation: n.pairGap,
    message:
      `converged: relative duality gap ${n.relativeGap.toExponential(2)} <= ` +
      `${target} (Newton's method on the smoothed primal, float64: ` +
      `${n.stages} smoothing widths, ${n.steps} steps)`,
  };
}

/** C = inf: the training data must be separated with margin 1, or the fit says why it has no solution. */
function checkHardMargin(data: Dataset, t: Float64Array, solution: SvmSolution, config: SvmConfig): void {
  const margins = trainingMargins(data, t, solution, config);
  const worst = Math.min(...margins);
  const atBound = solution.alpha.some((a) => a >= HARD_MARGIN_C * (1 - 1e-9));
  if (worst < 1 - HARD_MARGIN_SLACK || atBound) {
    const shortOf = `smallest margin t f = ${worst.toPrecision(4)} < 1 at C = ${HARD_MARGIN_C}`;
    if (config.kernel.type === 'rbf') {
      // An RBF kernel matrix of distinct points is positive definite (Micchelli), so they are always
      // separable in its feature space: only identical rows with different labels are not.
      const clash = conflictingDuplicate(data, t);
      if (clash)
        throw new Error(
          `the data are not separable in any feature space: rows ${clash[0] + 1}` +
            ` and ${clash[1] + 1} are identical with different labels, so the ` +
            `hard-margin SVM (C = inf) has no solution; use a finite --C`,
        );
      throw new Error(
        `the data are separable in the RBF feature space (every row is ` +
          `distinct), but ` +
          (atBound
            ? `the hard-margin solution needs alphas beyond ${HARD_MARGIN_C}`
            : 'this float32 solver did not reach the hard margin') +
          ` (${shortOf}): the kernel matrix at gamma ${config.kernel.gamma} is ` +
          `too ill-conditioned; use a finite --C (e.g. 1e4) or a larger --gamma`,
      );
    }
    throw new Error(
      `the data are not separable by a hyperplane, so the hard-margin SVM (C ` +
        `= inf) has no solution (${shortOf}); use a finite --C`,
    );
  }
}

/**
 * The decomposition's answer, or Newton's start where that is better certified: float32 gradients
 * can move a start that is already below their resolution away from the optimum.
 */
function betterCertified(
  data: Dataset,
  t: Float64Array,
  config: SvmConfig,
  newton: NewtonStart | undefined,
  solution: SvmSolution,
): SvmSolution {
  if (!newton) return solution;
  const c = certify(
    { x: data.x, t, rows: data.rows, cols: data.cols, C: config.C, kernel: config.kernel },
    solution.alpha,
    solution.bias,
  );
  if (c.gap / Math.abs(c.primal) <= newton.relativeGap) return solution;
  return {
    ...newtonSolution(newton, acceptedGap(config)),
    converged: solution.converged,
    message:
      `${solution.message}; kept Newton's start instead, better certified ` +
      `(relative duality gap ${newton.relativeGap.toExponential(2)})`,
  };
}

export async function fitSvm(tf: Tf, data: Dataset, config: SvmConfig, progress?: FitProgress): Promise<SvmFit> {
  checkMemory(data.rows, data.cols, config.workingSet);
  const t = signs(data.y);
  // Large linear problems start from the smoothed primal's dual; small ones gain nothing from it.
  const start =
    config.kernel.type === 'linear' && config.C !== Infinity && data.rows >= WARM_START_MIN_ROWS
      ? await linearWarmStart(tf, data, t, config.C, warmStartGap(config), (label) =>
          progress?.(0, config.maxOuterIterations, label),
        )
      : undefined;
  const hard = config.C === Infinity;
  const newton = start?.newton;
  const solution =
    newton && newton.relativeGap <= acceptedGap(config)
      ? newtonSolution(newton, acceptedGap(config))
      : betterCertified(
          data,
          t,
          config,
          newton,
          await solveDual(
            tf,
            data.x,
            t,
            data.rows,
            data.cols,
            hard ? { ...config, C: HARD_MARGIN_C } : config,
            start?.alpha,
            progress,
          ),
        );
  if (hard) checkHardMargin(data, t, solution, config);
  return {
    ...solution,
    t,
    weights: config.kernel.type === 'linear' ? weightsFromDual(data, t, solution.alpha) : undefined,
  };
}

/** Two identical rows with different labels (no kernel separates them), or undefined. */
function conflictingDuplicate(data: Dataset, t: Float64Array): [number, number] | undefined {
  const seen = new Map<string, number>();
  for (let i = 0; i < data.rows; i++) {
    const key = Array.from(data.x.subarray(i * data.cols, (i + 1) * data.cols)).join(',');
    const j = seen.get(key);
    if (j === undefined) seen.set(key, i);
    else if (t[j] !== t[i]) return [j, i];
  }
  return undefined;
}

/** t_i f(x_i) of every training row, in float64 on the host (the hard-margin check). */
function trainingMargins(data: Dataset, t: Float64Array, s: SvmSolution, config: SvmConfig): Float64Array {
  const m = new Float64Array(data.rows).fill(s.bias);
  for (let j = 0; j < data.rows; j++) {
    if (s.alpha[j] === 0) continue;
    const c = s.alpha[j] * t[j];
    for (let i = 0; i < data.rows; i++) {
      let k = 0;
      if (config.kernel.type === 'linear')
        for (let d = 0; d < data.cols; d++) k += data.x[j * data.cols + d] * data.x[i * data.cols + d];
      else {
        for (let d = 0; d < data.cols; d++) k += (data.x[j * data.cols + d] - data.x[i * data.cols + d]) ** 2;
        k = Math.exp(-config.kernel.gamma * k);
      }
      m[i] += c * k;
    }
  }
  return m.map((v, i) => v * t[i]);
}

export function weightsFromDual(data: Dataset, t: Float64Array, alpha: Float64Array): Float64Array {
  const w = new Float64Array(data.cols);
  for (let i = 0; i < data.rows; i++) {
    if (alpha[i] === 0) continue;
    const c = alpha[i] * t[i];
    for (let k = 0; k < data.cols; k++) w[k] += c * data.x[i * data.cols + k];
  }
  return w;
}

export function kernelFrom(type: string, gamma: number): SvmKernel {
  return type === 'rbf' ? { type: 'rbf', gamma } : { type: 'linear' };
}
