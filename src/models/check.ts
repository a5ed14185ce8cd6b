// One conformance check: what it measures, what it expects, and how far off is tolerated. The same
// checks run against our reference implementations (tests/validate) and against anyone's.
import type { Tf } from '../types.js';
import type { ImplSession } from '../protocol/workload-types.js';

export type CheckStatus = 'passed' | 'failed' | 'errored' | 'skipped' | 'xfail' | 'xpass';

export interface CheckResult {
  readonly passed: boolean;
  readonly measured?: number;
  readonly expected?: number;
  readonly tolerance?: number;
  readonly detail: string;
  /** Not applicable to this implementation (e.g. no dual coefficients returned): neither pass nor fail. */
  readonly skipped?: boolean;
}

export interface CheckContext {
  /** A fresh implementation process or worker for this check. */
  readonly impl: ImplSession;
  /** Our reference implementation's backend, for the reference optima. */
  readonly tf: Tf;
  /** The property seed: the VAE and GAN checks draw their data and noise, and send their seed hint, from it. */
  readonly seed: number;
}

export interface Check {
  readonly name: string;
  readonly model: string;
  readonly description: string;
  run(ctx: CheckContext): Promise<CheckResult>;
}

export function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}
