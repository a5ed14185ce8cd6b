// modelbench's conformance checks as vitest tests inside anyone's project (as scikit-learn's
// parametrize_with_checks puts its estimator checks inside pytest): one test per check, named after
// it, run against the implementation with the same isolation, time and memory limits as `validate`.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, test } from 'vitest';
import { wasmBackend } from '../backends/wasm.js';
import type { Tf } from '../types.js';
import { implementationAt, limitsFrom, type Implementation } from '../protocol/implementation.js';
import { declaredFailure } from '../protocol/hello.js';
import { sayHello } from '../protocol/session.js';
import type { Hello } from '../protocol/messages.js';
import { checksOf, validatedModels } from '../validate/registry.js';
import { runChecks, type CheckOutcome } from '../validate/run.js';
import { CannotStart } from '../errors.js';
import { missingSandbox } from '../protocol/sandbox.js';

/**
 * What describeConformance takes. Declared here, in the source: the package's types for
 * `modelbench/vitest` are tsc's declarations of this file (tsconfig.declarations.json, built by prepack).
 */
export interface ConformanceOptions {
  /** The model the implementation claims: logreg, svm, vae or gan. */
  readonly model: string;
  /** A JavaScript/TypeScript module path (or file: URL), or a shell command such as "python3 impl.py". */
  readonly impl: string | URL;
  /** Run only these checks (default: every check of the model). */
  readonly checks?: readonly string[];
  /** Checks this implementation is known to fail, with the reason; merged over those its hello declares. */
  readonly expectedFailures?: Readonly<Record<string, string>>;
  /** Time limit per request, in seconds (as validate --timeout). */
  readonly timeoutSeconds?: number;
  /** Memory limit of the implementation's process, in MB (as validate --memory). */
  readonly memoryMb?: number;
  /** Environment variables for the implementation; its environment is otherwise cleared (as validate --env). */
  readonly env?: Readonly<Record<string, string>>;
  /** 'bwrap' (the default, required where it exists) or 'none' to run unsandboxed (as validate --no-sandbox). */
  readonly sandbox?: 'bwrap' | 'none';
  /** Where the implementation's own output goes (default: stderr, each line prefixed with [impl]). */
  readonly log?: (line: string) => void;
}

/** The same defaults as `modelbench validate --timeout 120 --memory 4096`. */
export const DEFAULT_TIMEOUT_SECONDS = 120;
export const DEFAULT_MEMORY_MB = 4096;
/** A check makes several requests, each within the request limit; the test as a whole gets this many. */
const REQUESTS_PER_CHECK_LIMIT = 20;

function targetOf(impl: string | URL): string {
  // fileURLToPath, not .pathname: a folder with a space is %20 in a URL, never on disk.
  if (impl instanceof URL || impl.startsWith('file:')) return fileURLToPath(impl);
  return impl;
}

function describeFailure(o: CheckOutcome): string {
  const numbers =
    o.measured === undefined ? '' : ` (measured ${o.measured}, expected ${o.expected}, tolerance ${o.tolerance})`;
  return `${o.check} ${o.status}: ${o.detail}${numbers}`;
}

/**
 * Declares a describe block with one vitest test per conformance check of `model`. Await it at the
 * top level of a test file: it asks the implementation what it is (hello) before the tests exist,
 * so that each declared expected failure is named with its reason: it passes when the check fails as
 * declared, and fails, saying why, when the check errors (does not answer) or passes after all.
 */
/** The model's check names, once the options name only checks it has. */
function knownChecks(options: ConformanceOptions): string[] {
  if (!validatedModels().includes(options.model))
    throw new Error(
      `describeConformance: model '${options.model}' has no conformance ` +
        `checks; use one of ${validatedModels().join(', ')}`,
    );
  const known = checksOf(options.model).map((c) => c.name);
  const named = [...(options.checks ?? []), ...Object.keys(options.expectedFailures ?? {})];
  const unknown = named.filter((c) => !known.includes(c));
  if (unknown.length)
    throw new Error(
      `describeConformance: unknown check(s) ${unknown.join(', ')} for ` +
        `${options.model}; its checks: ${known.join(', ')}`,
    );
  return known;
}

function implementationFor(options: ConformanceOptions): Implementation {
  const sandbox = options.sandbox ?? 'bwrap';
  const missing = sandbox === 'bwrap' ? missingSandbox("pass sandbox: 'none'") : undefined;
  if (missing) throw new Error(`describeConformance: ${missing}`);
  const timeoutMs = (options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const limits = limitsFrom({ timeoutMs, memoryMb: options.memoryMb ?? DEFAULT_MEMORY_MB, sandbox, env: options.env });
  return implementationAt(targetOf(options.impl), limits);
}

/** One vitest test per check: a declared failure that fails as declared passes; one that errors, or passes, is news. */
function checkTest(
  impl: Implementation,
  hello: Hello,
  name: string,
  model: string,
  tf: () => Tf,
  log: (line: string) => void,
) {
  const reason = declaredFailure(hello, model, name);
  const title = reason === undefined ? name : `${name} [expected failure: ${reason}]`;
  test(
    title,
    async (ctx) => {
      const [o] = await runChecks(impl, model, hello, tf(), log, () => {}, { only: [name] });
      if (o.status === 'skipped') ctx.skip(`not applicable: ${o.detail}`);
      if (o.status === 'passed' || o.status === 'xfail') return;
      if (o.status === 'xpass')
        throw new Error(`${name} passed, but is declared an expected failure (${reason}): remove the declaration`);
      throw new Error(describeFailure(o));
    },
    impl.limits.timeoutMs * REQUESTS_PER_CHECK_LIMIT,
  );
}

export async function describeConformance(options: ConformanceOptions): Promise<void> {
  const known = knownChecks(options);
  const impl = implementationFor(options);
  const log = options.log ?? ((line: string) => process.stderr.write(`[impl] ${line}\n`));
  let hello: Hello;
  try {
    hello = await sayHello(impl, log);
  } catch (e) {
    if (!(e instanceof CannotStart)) throw e;
    const message = e.message;
    describe(`modelbench conformance: ${options.model}`, () => {
      test('the implementation starts and answers hello', () => {
        throw new Error(message);
      });
    });
    return;
  }
  const { model } = options;
  const withDeclared: Hello = {
    ...hello,
    expected_failures: { ...hello.expected_failures, ...options.expectedFailures },
  };
  describe(`modelbench conformance: ${hello.name} ${hello.version} as ${model}`, () => {
    let tf: Tf;
    beforeAll(async () => {
      tf = (await wasmBackend.activate()).tf;
    });
    test('declares the model in its hello', () => {
      if (hello.unavailable) throw new Error(`${hello.name} cannot run here: ${hello.unavailable}; fix: ${hello.fix}`);
      if (!hello.models.includes(model))
        throw new Error(`${hello.name} says it implements ${hello.models.join(', ') || 'no models'}, not ${model}`);
    });
    for (const name of options.checks ?? known) checkTest(impl, withDeclared, name, model, () => tf, log);
  });
}
