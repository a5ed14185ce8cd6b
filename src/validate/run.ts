// Runs the checks of one model against an implementation: hello first, then each check on a fresh
// process or worker, so that one that hangs or crashes costs that check only.
import type { Tf } from '../types.js';
import type { Check, CheckStatus } from '../models/check.js';
import { startImplementation, type ImplClient, type Limits } from '../protocol/client.js';
import { printable } from '../printable.js';
import { MAX_WORDS_CHARS, PROTOCOL_VERSION, SUPPORTED_PROTOCOLS, type Answer, type Hello, type Request } from '../protocol/messages.js';
import { ImplementationError, MAX_ERROR_CHARS, CannotStart } from '../errors.js';
import { CHECKS } from './registry.js';

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

/** Conformance: no check failed or errored, and at least one passed (declaring everything an expected failure proves nothing). */
export function conformanceVerdict(outcomes: readonly CheckOutcome[]): { conforms: boolean; why?: string } {
  const bad = outcomes.filter((o) => o.status === 'failed' || o.status === 'errored').length;
  if (bad > 0) return { conforms: false, why: `${bad} check(s) failed or errored` };
  if (!outcomes.some((o) => o.status === 'passed')) return { conforms: false, why: 'no check passed' };
  return { conforms: true };
}

/** Checks a hello answer: its shape and its protocol version; the name and version made printable. */
export function helloOf(answer: Answer, target: string): Hello {
  const models = answer.models;
  if (typeof answer.name !== 'string' || !Array.isArray(models) || !models.every((m) => typeof m === 'string')) {
    throw new CannotStart(printable(`the hello answer needs {"name": str, "version": str, "models": [str, ...]}, got ${JSON.stringify(answer).slice(0, 200)}`));
  }
  const protocol = answer.protocol ?? 1;
  if (typeof protocol !== 'number' || !SUPPORTED_PROTOCOLS.includes(protocol)) {
    const spoken = `${SUPPORTED_PROTOCOLS.slice(0, -1).join(', ')} and ${SUPPORTED_PROTOCOLS[SUPPORTED_PROTOCOLS.length - 1]}`;
    throw new CannotStart(printable(`${target} speaks protocol version ${JSON.stringify(protocol).slice(0, 40)}; this modelbench speaks ${spoken}: answer hello with "protocol": ${PROTOCOL_VERSION} (docs/protocol.md), or use the modelbench release that speaks ${JSON.stringify(protocol)}`));
  }
  // Every word of the hello reaches the terminal and the results: shown on one line, capped, never obeyed.
  const hello = answer as unknown as Hello;
  const words = (v: unknown) => printable(String(v ?? ''), MAX_WORDS_CHARS);
  return {
    ...hello,
    protocol,
    name: words(hello.name),
    version: words(hello.version),
    ...(typeof hello.device === 'string' ? { device: words(hello.device) } : { device: undefined }),
    ...(typeof hello.unavailable === 'string' ? { unavailable: printable(hello.unavailable, MAX_ERROR_CHARS), fix: printable(String(hello.fix ?? 'see its documentation'), MAX_ERROR_CHARS) } : {}),
    expected_failures: expectedFailuresOf(hello.expected_failures),
  };
}

/** The declared expected failures, each reason made printable; anything but an object of strings is none. */
function expectedFailuresOf(raw: unknown): Record<string, string> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [printable(k, MAX_WORDS_CHARS), printable(String(v), MAX_ERROR_CHARS)]));
}

/** The hello request: it says which protocol version the harness speaks. */
export const HELLO: Request = { op: 'hello', protocol: PROTOCOL_VERSION };

export async function sayHello(target: string, limits: Limits, log: (l: string) => void): Promise<Hello> {
  let impl: ImplClient | undefined;
  try {
    impl = startImplementation(target, limits, log);
    return helloOf(await impl.request(HELLO), target);
  } catch (e) {
    if (e instanceof ImplementationError) throw new CannotStart(`${target} could not be started: ${e.message}`);
    throw e;
  } finally {
    await impl?.close();
  }
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

export async function runChecks(target: string, model: string, hello: Hello, tf: Tf, limits: Limits, log: (l: string) => void, onResult: (o: CheckOutcome) => void, options: RunChecksOptions = {}): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  const { only, extra = [], seed = DEFAULT_CHECK_SEED, onRequest } = options;
  for (const check of [...CHECKS, ...extra].filter((c) => c.model === model && (!only || only.includes(c.name)))) {
    const t0 = performance.now();
    const started = startImplementation(target, limits, log);
    const impl: ImplClient = onRequest ? { ...started, request: (m) => (onRequest(check.name, m), started.request(m)), close: () => started.close() } : started;
    let status: CheckStatus;
    let result: Partial<CheckOutcome> = {};
    try {
      const r = await check.run({ impl, tf, seed });
      status = r.skipped ? 'skipped' : r.passed ? 'passed' : 'failed';
      result = { measured: r.measured, expected: r.expected, tolerance: r.tolerance, detail: r.detail };
    } catch (e) {
      if (!(e instanceof ImplementationError)) throw e;
      status = 'errored';
      result = { detail: e.message };
    } finally {
      await impl.close();
    }
    const declared = hello.expected_failures?.[check.name];
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
