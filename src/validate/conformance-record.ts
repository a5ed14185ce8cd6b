// The conformance half of a scorecard: validate's checks, run against each implementation of a run
// for each model it declares, the same way `modelbench validate` runs them (a fresh process per check).
import path from 'node:path';
import { BUNDLE, ROOT } from '../layout.js';
import type { Tf } from '../types.js';
import { conformanceVerdict, runChecks, type CheckOutcome } from './run.js';
import type { Implementation } from '../protocol/implementation.js';
import { sayHello } from '../protocol/session.js';
import { CannotStart } from '../errors.js';

export interface ConformanceRecord {
  readonly implementation: string;
  readonly model: string;
  readonly outcomes: readonly CheckOutcome[];
  readonly conforms: boolean;
  readonly why?: string;
}

/** Our own reference implementations behind the protocol (tfjs on wasm); absent from the bundle. */
export function referenceTarget(): string | undefined {
  return BUNDLE ? undefined : path.join(ROOT, 'src/validate/reference-impl.ts');
}

export async function conformanceOf(
  impl: Implementation,
  models: readonly string[],
  tf: Tf,
  log: (line: string) => void,
  onCheck: (model: string, o: CheckOutcome) => void,
): Promise<ConformanceRecord[]> {
  let hello;
  try {
    hello = await sayHello(impl, log);
  } catch (e) {
    if (e instanceof CannotStart)
      return models.map((model) => ({
        implementation: impl.name,
        model,
        outcomes: [],
        conforms: false,
        why: e.message,
      }));
    throw e;
  }
  if (hello.unavailable) return [];
  const out: ConformanceRecord[] = [];
  for (const model of models.filter((m) => hello.models.includes(m))) {
    const outcomes = await runChecks(impl, model, hello, tf, log, (o) => onCheck(model, o));
    out.push({ implementation: impl.name, model, outcomes, ...conformanceVerdict(outcomes) });
  }
  return out;
}
