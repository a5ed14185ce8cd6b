// The SVM's fit as our reference runs it and its judge from the answer alone: both used by its
// ModelSpec and by the protocol's answer checks, so they sit apart from the spec (no import circle).
import type { Seeds } from '../../seeds.js';
import type { Dataset, FitProgress, FitSummary, OracleReport, Tf } from '../../types.js';
import { certify } from './certificate.js';
import { problemOf, svmConfig } from './config.js';
import { fitSvm, weightsFromDual } from './model.js';
import { polishBlocker, polishSvm } from './polish.js';

/** Fits on the backend, then (polish=on) solves the KKT equalities in float64 from its sets and certifies the gap. */
export async function fitSvmModel(
  tf: Tf,
  data: Dataset,
  options: Readonly<Record<string, string>>,
  _seeds: Seeds,
  progress?: FitProgress,
): Promise<FitSummary> {
  const config = svmConfig(data, options);
  const polishOption = options.polish ?? 'on';
  if (polishOption !== 'on' && polishOption !== 'off')
    throw new Error(`--polish must be on or off, got '${polishOption}'`);
  const r = await fitSvm(tf, data, config, progress);
  let { alpha, bias, converged, message } = r;
  let weights = r.weights;
  let objective = r.primalObjective;
  if (polishOption === 'on') {
    const p = problemOf(data, config);
    const blocker = polishBlocker(p, r.alpha);
    if (blocker) message = `${r.message}; not polished: ${blocker}`;
    else {
      const polished = polishSvm(p, r.alpha);
      ({ alpha, bias } = polished);
      converged = polished.certified;
      message = polished.certified
        ? `${polished.message} (from the backend solver's sets: ${r.message})`
        : `${r.message}; ${polished.message}`;
      weights = config.kernel.type === 'linear' ? weightsFromDual(data, r.t, alpha) : undefined;
      objective = certify(p, alpha, bias).primal;
    }
  }
  const support = [...alpha.keys()].filter((i) => alpha[i] > 0);
  return {
    parameters: {
      ...(weights ? { weights: Array.from(weights) } : {}),
      bias,
      support,
      dual_coef: support.map((i) => r.t[i] * alpha[i]),
      ...(config.kernel.type === 'rbf' ? { gamma: config.kernel.gamma } : {}),
    },
    modelObjective: objective,
    modelObjectiveName: 'objective',
    iterations: r.iterations,
    converged,
    message,
  };
}

/** The certificate of a fit, from its support and dual coefficients alone (what any implementation answers). */
export function judgeSvm(data: Dataset, options: Readonly<Record<string, string>>, summary: FitSummary): OracleReport {
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
}
