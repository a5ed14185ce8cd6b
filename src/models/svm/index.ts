// The SVM as a ModelSpec: the registry's one line points here.
import type { Dataset, FitSummary, ModelSpec, OracleReport, Tf } from '../../types.js';
import { fitSvm, kernelFrom, signs, SVM_DEFAULTS } from './model.js';
import { decisionFromDual, dualInfeasibility, dualObjective, gammaScale, hinge, kktViolation, type SvmProblem } from './objective.js';
import type { SvmConfig } from './solver.js';
import { SVM_WORKLOADS } from './workloads.js';

/** A margin counts as violated below 1 - this (the fit output's margin_violations). */
export const MARGIN_SLACK = 1e-6;

function parsePositive(name: string, raw: string | undefined, fallback: number, allowInf = false): number {
  if (raw === undefined) return fallback;
  const v = allowInf && /^(inf|infinity)$/i.test(raw) ? Infinity : Number(raw);
  if (!(v > 0)) throw new Error(`--${name} must be a positive number${allowInf ? " or 'inf'" : ''}, got '${raw}'`);
  return v;
}

export function svmConfig(data: Pick<Dataset, 'x' | 'cols'>, options: Readonly<Record<string, string>>): SvmConfig {
  const kernelType = options.kernel ?? 'linear';
  if (kernelType !== 'linear' && kernelType !== 'rbf') throw new Error(`--kernel must be linear or rbf, got '${kernelType}'`);
  if (kernelType === 'linear' && options.gamma !== undefined) throw new Error('--gamma applies to --kernel rbf only');
  const gamma = options.gamma === undefined || options.gamma === 'scale' ? gammaScale(data.x, data.cols) : parsePositive('gamma', options.gamma, 1);
  return {
    ...SVM_DEFAULTS,
    C: parsePositive('C', options.C, SVM_DEFAULTS.C, true),
    tolerance: parsePositive('tol', options.tol, SVM_DEFAULTS.tolerance),
    kernel: kernelFrom(kernelType, gamma),
  };
}

export function problemOf(data: Dataset, config: SvmConfig): SvmProblem {
  return { x: data.x, t: signs(data.y), rows: data.rows, cols: data.cols, C: config.C, kernel: config.kernel };
}

/** The float64 certificate of a dual solution: primal, dual, gap, support counts, margins and KKT. */
export function certify(p: SvmProblem, alpha: Float64Array, bias: number) {
  const f = decisionFromDual(p, alpha, bias);
  const margins = f.map((v, i) => v * p.t[i]);
  let quad = 0;
  for (let i = 0; i < p.rows; i++) quad += alpha[i] * (p.t[i] * (f[i] - bias));
  let loss = 0;
  for (const m of margins) loss += hinge(m);
  const primal = 0.5 * quad + (p.C === Infinity ? (loss > 0 ? Infinity : 0) : p.C * loss);
  const dual = dualObjective(p, alpha);
  return {
    primal,
    dual,
    gap: primal - dual,
    nSupport: alpha.filter((a) => a > 0).length,
    nBounded: p.C === Infinity ? 0 : alpha.filter((a) => a >= p.C * (1 - 1e-8)).length,
    marginViolations: margins.filter((m) => m < 1 - MARGIN_SLACK).length,
    kkt: kktViolation(p, alpha, margins),
    infeasibility: dualInfeasibility(p, alpha),
  };
}

export const svm: ModelSpec = {
  name: 'svm',
  title: 'soft-margin support vector machine (linear and RBF kernels)',
  capabilities: { binaryClassifier: true, convexObjective: true },
  workloads: SVM_WORKLOADS,
  fitOptions: {
    C: 'box constraint, a positive number or inf (hard margin, separable data only); default 1',
    kernel: 'linear or rbf; default linear',
    gamma: "RBF width: a positive number or 'scale' = 1 / (d Var(X)), as sklearn; default scale",
    tol: 'stop when the maximal violating pair gap is below this; default 1e-5 (libsvm: 1e-3)',
  },
  async fit(tf: Tf, data: Dataset, options: Readonly<Record<string, string>>): Promise<FitSummary> {
    const config = svmConfig(data, options);
    const r = await fitSvm(tf, data, config);
    const support = [...r.alpha.keys()].filter((i) => r.alpha[i] > 0);
    return {
      parameters: {
        ...(r.weights ? { weights: Array.from(r.weights) } : {}),
        bias: r.bias,
        support,
        dual_coef: support.map((i) => r.t[i] * r.alpha[i]),
        ...(config.kernel.type === 'rbf' ? { gamma: config.kernel.gamma } : {}),
      },
      modelObjective: NaN,
      iterations: r.iterations,
      converged: r.converged,
      message: r.message,
    };
  },
  judge(data: Dataset, options: Readonly<Record<string, string>>, summary: FitSummary): OracleReport {
    const config = svmConfig(data, options);
    const p = problemOf(data, config);
    const alpha = new Float64Array(data.rows);
    const support = summary.parameters.support as readonly number[];
    const coef = summary.parameters.dual_coef as readonly number[];
    support.forEach((i, k) => (alpha[i] = Math.abs(coef[k])));
    const c = certify(p, alpha, summary.parameters.bias as number);
    return {
      objectiveName: 'P',
      objective: c.primal,
      extra: {
        dual_objective: c.dual,
        duality_gap: c.gap,
        relative_gap: c.gap / Math.max(Math.abs(c.primal), 1e-300),
        n_support: c.nSupport,
        n_bounded: c.nBounded,
        margin_violations: c.marginViolations,
        kkt_violation: c.kkt,
        dual_infeasibility: c.infeasibility,
      },
    };
  },
};
