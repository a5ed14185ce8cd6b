// Logistic regression's fit as our reference runs it and its judge from the answer alone: used by its
// ModelSpec and its protocol reference handler, so they sit apart from the spec (no import circle).
import { parseIntegerOption, parsePositiveOption } from '../options.js';
import type { Dataset, FitSummary, OracleReport, Tf } from '../../types.js';
import { fit, LOGREG_DEFAULTS, type LogregConfig } from './model.js';
import { gradient, meanLogLoss, objective } from './objective.js';

export function parseC(raw: string | undefined): number {
  return parsePositiveOption('C', raw, LOGREG_DEFAULTS.C, true);
}

function config(options: Readonly<Record<string, string>>): LogregConfig {
  const tolerance = parsePositiveOption('tol', options.tol, LOGREG_DEFAULTS.tolerance);
  const maxIterations = parseIntegerOption('max-iter', options['max-iter'], LOGREG_DEFAULTS.maxIterations);
  return { C: parseC(options.C), tolerance, maxIterations };
}

/** L-BFGS on the backend, as `fit` runs it. */
export async function fitLogreg(tf: Tf, data: Dataset, options: Readonly<Record<string, string>>): Promise<FitSummary> {
  const result = await fit(tf, data, config(options));
  return {
    parameters: { weights: Array.from(result.weights), bias: result.bias },
    modelObjective: result.backendObjective,
    modelObjectiveName: 'J',
    iterations: result.iterations,
    converged: result.converged,
    message: result.message,
  };
}

/** The float64 oracle on the returned (w, b): J, its gradient and the log-loss. */
export function judgeLogreg(
  data: Dataset,
  options: Readonly<Record<string, string>>,
  summary: FitSummary,
): OracleReport {
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
}
