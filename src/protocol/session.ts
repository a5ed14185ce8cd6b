// One implementation process for one cell: the hello handshake (protocol 2 or later for timing), data
// loaded from binary files, untimed requests, timed round trips, and the result of a timed request
// fetched after the clock and proven to be the one that existed when it stopped (its digest).
import { resultDigest } from './digest.js';
import {
  KEPT_RESULT_PROTOCOL,
  TIMED_PROTOCOL,
  type Answer,
  type Handle,
  type Hello,
  type Request,
} from './messages.js';
import { ImplementationError, CannotStart } from '../errors.js';
import { startImplementation, type ImplClient } from './client.js';
import { HELLO, helloOf } from './hello.js';
import type { Implementation } from './implementation.js';
import { DataFiles } from './data-files.js';
import type { ImplSession } from './workload-types.js';

export interface TimedAnswer {
  readonly ms: number;
  readonly answer: Answer;
  /** What the implementation measured around its own work, when it says. */
  readonly elapsedMs?: number;
}

/** A fetched result, with how long the fetch took and how much it moved. */
export interface FetchedResult {
  readonly answer: Answer;
  readonly fetchMs?: number;
  readonly bytes?: number;
}

/**
 * A fetch may take as long as sending its bytes at a slow serialiser's pace, plus a fixed allowance;
 * much longer, and the implementation did work after the clock stopped (or cannot be timed fairly).
 */
export function fetchAllowanceMs(bytes: number): number {
  return 250 + bytes / ((5 * 2 ** 20) / 1000);
}

export interface StartOptions {
  /** The process will be timed: protocol 2 or later. */
  readonly timed?: boolean;
  /** The hello this implementation already gave: not asked again. */
  readonly hello?: Hello;
}

export class Session implements ImplSession {
  private readonly files: DataFiles;

  private constructor(
    private readonly client: ImplClient,
    readonly hello: Hello,
  ) {
    this.files = new DataFiles(client.dataDir);
  }

  /**
   * Starts a process of the implementation and says hello — unless the hello is already known (validate
   * says it once, then starts a fresh process per check). `timed`: refuses one that cannot be timed
   * (protocol 1).
   */
  static async start(impl: Implementation, log: (line: string) => void, options: StartOptions = {}): Promise<Session> {
    let client: ImplClient;
    try {
      client = startImplementation(impl.target, impl.limits, log);
    } catch (e) {
      throw e instanceof ImplementationError ? new CannotStart(`${impl.target} could not be started: ${e.message}`) : e;
    }
    if (options.hello) return new Session(client, options.hello);
    try {
      const hello = helloOf(await client.request(HELLO), impl.target);
      if (options.timed && hello.protocol! < TIMED_PROTOCOL && !hello.unavailable) {
        throw new CannotStart(
          `${impl.target} speaks protocol ${hello.protocol}; timing needs ` +
            `protocol ${TIMED_PROTOCOL} or later (the load op, handles and ping): ` +
            `answer hello with "protocol": ${KEPT_RESULT_PROTOCOL} and implement ` +
            `load (docs/protocol.md)`,
        );
      }
      return new Session(client, hello);
    } catch (e) {
      await client.close();
      throw e instanceof ImplementationError ? new CannotStart(`${impl.target} could not be started: ${e.message}`) : e;
    }
  }

  /** Whether timed results stay in the implementation (a handle and a digest come back) or come inline. */
  get keepsResults(): boolean {
    return (this.hello.protocol ?? 1) >= KEPT_RESULT_PROTOCOL;
  }

  request(message: Request): Promise<Answer> {
    return this.client.request(message);
  }

  async load(values: Float64Array | Float32Array, shape: readonly number[]): Promise<Handle> {
    const file = this.files.write(values, shape);
    const answer = await this.client.request({ op: 'load', path: file, shape: [...shape], dtype: 'float64' });
    if (typeof answer.handle !== 'string')
      throw new ImplementationError(`load answered ${JSON.stringify(answer).slice(0, 120)}, not {"handle": str}`);
    return { handle: answer.handle };
  }

  async timed(message: Request): Promise<TimedAnswer> {
    const t0 = performance.now();
    const answer = await this.client.request(message);
    const ms = performance.now() - t0;
    const elapsed = answer.elapsed_ms;
    if (elapsed !== undefined && (typeof elapsed !== 'number' || !(elapsed >= 0)))
      throw new ImplementationError(`'elapsed_ms' is ${JSON.stringify(elapsed)}, not a non-negative number`);
    if (message.result === 'handle' && this.keepsResults) keptOf(answer);
    return { ms, answer, elapsedMs: elapsed };
  }

  /**
   * The answer itself: fetched when the implementation kept it under a handle (its digest checked), else as it came.
   */
  async result(answer: Answer): Promise<FetchedResult> {
    if (typeof answer.handle !== 'string') return { answer };
    const t0 = performance.now();
    const fetched = await this.client.request({ op: 'fetch', handle: answer.handle });
    const fetchMs = performance.now() - t0;
    const bytes = this.client.lastAnswerBytes;
    const digest = resultDigest(fetched);
    if (digest !== answer.digest) {
      throw new ImplementationError(
        `answer changed after timing: the fetched result's digest ${digest} is ` +
          `not the ${String(answer.digest).slice(0, 80)} given when timed ` +
          `(docs/protocol.md, "Digest")`,
      );
    }
    if (fetchMs > fetchAllowanceMs(bytes)) {
      throw new ImplementationError(
        `fetching the result took ${fetchMs.toFixed(0)} ms for ${bytes} bytes ` +
          `(allowed ${fetchAllowanceMs(bytes).toFixed(0)} ms): work done after ` +
          `the timed request is not timed; answer a timed request only once its ` +
          `result is computed`,
      );
    }
    return { answer: fetched, fetchMs, bytes };
  }

  async close(): Promise<void> {
    await this.client.close();
    this.files.dispose();
  }
}

/** A kept result's answer: a handle and the digest of the result it stands for. */
function keptOf(answer: Answer): void {
  if (
    typeof answer.handle !== 'string' ||
    typeof answer.digest !== 'string' ||
    !/^sha256:[0-9a-f]{64}$/.test(answer.digest)
  ) {
    throw new ImplementationError(
      `a timed request with "result": "handle" must be answered {"handle": ` +
        `str, "digest": "sha256:<64 hex digits>"} (protocol 3; ` +
        `docs/protocol.md, "Digest"), got ` +
        `${JSON.stringify(answer).slice(0, 160)}`,
    );
  }
}

/** Starts a process only to hear its hello, and closes it: what the implementation offers. */
export async function sayHello(impl: Implementation, log: (line: string) => void): Promise<Hello> {
  const session = await Session.start(impl, log);
  await session.close();
  return session.hello;
}
