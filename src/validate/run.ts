// Runs the checks of one model against an implementation: hello first, then each check on a fresh
// process or worker, so that one that hangs or crashes costs that check only.
import type { Tf } from '../types.js';
import type { Check, CheckStatus } from '../models/check.js';
import type { Implementation } from '../protocol/implementation.js';
import type { Hello, Request } from '../protocol/messages.js';
import { declaredFailure } from '../protocol/hello.js';
import { Session } from '../protocol/session.js';
import type { ImplSession } from '../protocol/workload-types.js';
import { ImplementationError } from '../errors.js';
import { checksOf } from './registry.js';

export interface CheckOutcome {
  readonly check: string;
  readonly model: string;
  readonly description: string;
  readonly status: CheckStatus;
  readonly measured?: number;
  readonly expected?: number;
  readonly tolerance?: number;
  readonly detail: string;
  readonly seconds: number;
}

/**
 * Conformance: no check failed or errored, and at least one passed (declaring everything an expected failure proves
 * nothing).
 */
export function conformanceVerdict(outcomes: readonly CheckOutcome[]): { conforms: boolean; why?: string } {
  const bad = outcomes.filter((o) => o.status === 'failed' || o.status === 'errored').length;
  if (bad > 0) return { conforms: false, why: `${bad} check(s) failed or errored` };
  if (!outcomes.some((o) => o.status === 'passed')) return { conforms: false, why: 'no check passed' };
  return { conforms: true };
}

export interface RunChecksOptions {
  /** Only these checks (by name). */
  readonly only?: readonly string[];
  /** Checks beyond the registry's (validate --data). */
  readonly extra?: readonly Check[];
  /** The property seed of the checks that draw data, noise or a seed hint (VAE, GAN); default 1. */
  readonly seed?: number;
  /** Sees every request a check sends (the option-coverage table is built from them). */
  readonly onRequest?: (check: string, request: Request) => void;
}

export const DEFAULT_CHECK_SEED = 1;

export async function runChecks(
  impl: Implementation,
  model: string,
  hello: Hello,
  tf: Tf,
  log: (l: string) => void,
  onResult: (o: CheckOutcome) => void,
  options: RunChecksOptions = {},
): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  const { only, extra = [], seed = DEFAULT_CHECK_SEED, onRequest } = options;
  for (const check of [...checksOf(model), ...extra].filter((c) => !only || only.includes(c.name))) {
    const t0 = performance.now();
    const started = await Session.start(impl, log, { hello });
    const session: ImplSession = onRequest
      ? { request: (m) => (onRequest(check.name, m), started.request(m)), load: (v, shape) => started.load(v, shape) }
      : started;
    let status: CheckStatus;
    let result: Partial<CheckOutcome> = {};
    try {
      const r = await check.run({ impl: session, tf, seed });
      status = r.skipped ? 'skipped' : r.passed ? 'passed' : 'failed';
      result = { measured: r.measured, expected: r.expected, tolerance: r.tolerance, detail: r.detail };
    } catch (e) {
      if (!(e instanceof ImplementationError)) throw e;
      status = 'errored';
      result = { detail: e.message };
    } finally {
      await started.close();
    }
    const declared = declaredFailure(hello, model, check.name);
    // An expected failure is a wrong answer the implementation owns up to; one that does not answer
    // at all (errored) is not that, and stays an error.
    if (declared !== undefined && status === 'failed') status = 'xfail';
    else if (declared !== undefined && status === 'passed') status = 'xpass';
    const outcome: CheckOutcome = {
      check: check.name,
      model,
      description: check.description,
      status,
      ...result,
      detail: declared !== undefined ? `${result.detail} (declared: ${declared})` : (result.detail ?? ''),
      seconds: (performance.now() - t0) / 1000,
    };
    outcomes.push(outcome);
    onResult(outcome);
  }
  return outcomes;
}
