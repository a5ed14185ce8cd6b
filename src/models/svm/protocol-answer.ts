// An SVM as an implementation answers it (docs/protocol.md): weights (linear) and/or dual_coef = t alpha
// with support row indices (libsvm's and sklearn's form) or the support vectors themselves (libsvm's
// model file); its primal and decision values recomputed by the float64 oracle, and our reference
// optimum on the same data to judge them against.
import { numbers, scalar, type Answer } from '../../protocol/messages.js';
import { ImplementationError } from '../../errors.js';
import { DEFAULT_BASE_SEED, seedsFrom } from '../../seeds.js';
import type { Dataset, Tf } from '../../types.js';
import { certify } from './certificate.js';
import { primalFromExpansion } from './expansion.js';
import { fitSvmModel, judgeSvm } from './fit.js';
import { signs } from './model.js';
import { kernelValue, primalLinear, type Kernel, type SvmProblem } from './objective.js';

export interface SvmAnswer {
  readonly bias: number;
  readonly weights?: number[];
  readonly alpha?: Float64Array;
  /** Support vectors and their coefficients t alpha, when the answer names vectors instead of rows. */
  readonly expansion?: { readonly sv: Float64Array[]; readonly coef: number[] };
}

export function problem(data: Dataset, C: number, kernel: Kernel): SvmProblem {
  return { x: data.x, t: signs(data.y), rows: data.rows, cols: data.cols, C, kernel };
}

export function parseAnswer(answer: Answer, data: Dataset): SvmAnswer {
  const bias = scalar(answer, 'bias');
  const weights = 'weights' in answer ? numbers(answer, 'weights', data.cols) : undefined;
  let alpha: Float64Array | undefined;
  let expansion: SvmAnswer['expansion'];
  if ('support_vectors' in answer) {
    const coef = numbers(answer, 'dual_coef');
    const rows = answer.support_vectors;
    if (!Array.isArray(rows) || rows.length !== coef.length)
      throw new ImplementationError(`'support_vectors' must be a list of ${coef.length} rows, one per dual_coef`);
    expansion = {
      coef,
      sv: rows.map((_, k) => Float64Array.from(numbers(answer.support_vectors as Answer, String(k), data.cols))),
    };
  } else if ('dual_coef' in answer || 'support' in answer) {
    const coef = numbers(answer, 'dual_coef');
    const support = numbers(answer, 'support', coef.length);
    alpha = new Float64Array(data.rows);
    const t = signs(data.y);
    support.forEach((i, k) => {
      if (!Number.isInteger(i) || i < 0 || i >= data.rows)
        throw new ImplementationError(`support[${k}] = ${i} is not a row index of the ${data.rows} training rows`);
      // dual_coef = t alpha: its sign must be the row's label.
      alpha![i] = coef[k] * t[i];
    });
  }
  if (!weights && !alpha && !expansion)
    throw new ImplementationError('the fit answer has neither weights nor dual_coef with support or support_vectors');
  return { bias, weights, alpha, expansion };
}

/** P at the implementation's solution: from its weights (linear) or its dual coefficients. */
export function primalOf(p: SvmProblem, s: SvmAnswer): number {
  if (p.kernel.type === 'linear' && s.weights) return primalLinear(p, s.weights, s.bias);
  if (s.expansion)
    return primalFromExpansion(p.x, p.t, p.rows, p.cols, p.C, p.kernel, s.expansion.sv, s.expansion.coef, s.bias);
  if (!s.alpha) throw new ImplementationError('an RBF fit must return dual_coef with support or support_vectors');
  return certify(p, s.alpha, s.bias).primal;
}

/** Decision values of rows from the implementation's own parameters, with the requested kernel. */
export function decisionsFromParameters(p: SvmProblem, s: SvmAnswer, X: number[][]): number[] {
  return X.map((x) => {
    if (p.kernel.type === 'linear' && s.weights) return x.reduce((acc, v, k) => acc + v * s.weights![k], s.bias);
    let f = s.bias;
    if (s.expansion) {
      const sv = { ...p, x: Float64Array.from(s.expansion.sv.flatMap((v) => Array.from(v))) };
      s.expansion.coef.forEach((c, j) => (f += c * kernelValue(sv, j, x)));
      return f;
    }
    s.alpha!.forEach((a, j) => {
      if (a !== 0) f += a * p.t[j] * kernelValue(p, j, x);
    });
    return f;
  });
}

/** Our reference optimum P* on the same problem (the decomposition solver, certified by the oracle), cached. */
const referenceCache = new Map<string, number>();
export async function referencePrimal(tf: Tf, data: Dataset, C: number, kernel: Kernel): Promise<number> {
  const key = `${data.name}|${data.rows}|${C}|${JSON.stringify(kernel)}`;
  const cached = referenceCache.get(key);
  if (cached !== undefined) return cached;
  const options = {
    C: String(C),
    kernel: kernel.type,
    ...(kernel.type === 'rbf' ? { gamma: String(kernel.gamma) } : {}),
  };
  const verdict = judgeSvm(data, options, await fitSvmModel(tf, data, options, seedsFrom(DEFAULT_BASE_SEED)));
  referenceCache.set(key, verdict.objective);
  return verdict.objective;
}
