// Logistic regression as a ModelSpec: the registry's one line points here.
import { NAMED_CLASSIFICATION_DATA } from '../../data/named.js';
import { parseIntegerOption, parsePositiveOption } from '../options.js';
import type { Dataset, FitSummary, OracleReport, Tf } from '../../types.js';
import type { ModelSpec } from '../spec.js';
import { fit, LOGREG_DEFAULTS, type LogregConfig } from './model.js';
import { gradient, meanLogLoss, objective } from './objective.js';
import { LOGREG_IMPL_WORKLOADS } from './impl-workloads.js';
import { LOGREG_WORKLOADS } from './workloads.js';

export function parseC(raw: string | undefined): number {
  return parsePositiveOption('C', raw, LOGREG_DEFAULTS.C, true);
}

function config(options: Readonly<Record<string, string>>): LogregConfig {
  const tolerance = parsePositiveOption('tol', options.tol, LOGREG_DEFAULTS.tolerance);
  const maxIterations = parseIntegerOption('max-iter', options['max-iter'], LOGREG_DEFAULTS.maxIterations);
  return { C: parseC(options.C), tolerance, maxIterations };
}

export const logisticRegression: ModelSpec = {
  name: 'logreg',
  title: 'L2-regularised logistic regression',
  capabilities: { binaryClassifier: true, convexObjective: true, generative: false },
  namedData: NAMED_CLASSIFICATION_DATA,
  workloads: LOGREG_WORKLOADS,
  implWorkloads: LOGREG_IMPL_WORKLOADS,
  fitOptions: {
    C: 'inverse regularisation strength, a positive number or inf (no penalty); default 1',
    tol: 'stop when ||grad J||_inf <= tol * C * m; default 1e-6',
    'max-iter': 'most L-BFGS iterations; default 1000',
  },
  async fit(tf: Tf, data: Dataset, options: Readonly<Record<string, string>>): Promise<FitSummary> {
    const result = await fit(tf, data, config(options));
    return {
      parameters: { weights: Array.from(result.weights), bias: result.bias },
      modelObjective: result.backendObjective,
      modelObjectiveName: 'J',
      iterations: result.iterations,
      converged: result.converged,
      message: result.message,
    };
  },
  judge(data: Dataset, options: Readonly<Record<string, string>>, summary: FitSummary): OracleReport {
    const problem = { ...data, C: parseC(options.C) };
    const weights = summary.parameters.weights as readonly number[];
    const bias = summary.parameters.bias as number;
    let gradientNorm = 0;
    for (const g of gradient(problem, weights, bias)) gradientNorm = Math.max(gradientNorm, Math.abs(g));
    return {
      objectiveName: 'J',
      objective: objective(problem, weights, bias),
      gradientNorm,
      extra: { log_loss: meanLogLoss(problem, weights, bias) },
    };
  },
};
