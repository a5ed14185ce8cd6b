// One implementation process for one cell: the hello handshake (protocol 2 required for timing),
// data loaded from binary files, untimed requests, and timed round trips.
import { ImplementationError, PROTOCOL_VERSION, type Answer, type Handle, type Hello, type Request } from '../validate/protocol.js';
import { startImplementation, type ImplClient, type Limits } from '../validate/client.js';
import { CannotStart, HELLO, helloOf } from '../validate/run.js';
import { DataFiles } from './data-files.js';
import type { ImplSession } from './types.js';

export interface TimedAnswer {
  readonly ms: number;
  readonly answer: Answer;
  /** What the implementation measured around its own work, when it says. */
  readonly elapsedMs?: number;
}

export class Session implements ImplSession {
  private readonly files = new DataFiles();

  private constructor(
    private readonly client: ImplClient,
    readonly hello: Hello,
  ) {}

  /** Starts the process and says hello; refuses an implementation that cannot be timed (protocol 1). */
  static async start(target: string, limits: Limits, log: (line: string) => void): Promise<Session> {
    const client = startImplementation(target, limits, log);
    try {
      const hello = helloOf(await client.request(HELLO), target);
      if (hello.protocol !== PROTOCOL_VERSION && !hello.unavailable) {
        throw new CannotStart(`${target} speaks protocol ${hello.protocol}; timing needs protocol ${PROTOCOL_VERSION} (the load op, handles and ping): answer hello with "protocol": ${PROTOCOL_VERSION} and implement load (docs/protocol.md)`);
      }
      return new Session(client, hello);
    } catch (e) {
      await client.close();
      throw e instanceof ImplementationError ? new CannotStart(`${target} could not be started: ${e.message}`) : e;
    }
  }

  request(message: Request): Promise<Answer> {
    return this.client.request(message);
  }

  async load(values: Float64Array | Float32Array, shape: readonly number[]): Promise<Handle> {
    const file = this.files.write(values, shape);
    const answer = await this.client.request({ op: 'load', path: file, shape: [...shape], dtype: 'float64' });
    if (typeof answer.handle !== 'string') throw new ImplementationError(`load answered ${JSON.stringify(answer).slice(0, 120)}, not {"handle": str}`);
    return { handle: answer.handle };
  }

  async timed(message: Request): Promise<TimedAnswer> {
    const t0 = performance.now();
    const answer = await this.client.request(message);
    const ms = performance.now() - t0;
    const elapsed = answer.elapsed_ms;
    if (elapsed !== undefined && (typeof elapsed !== 'number' || !(elapsed >= 0))) throw new ImplementationError(`'elapsed_ms' is ${JSON.stringify(elapsed)}, not a non-negative number`);
    return { ms, answer, elapsedMs: elapsed };
  }

  /** The answer itself: fetched when the implementation kept it under a handle, else as it came. */
  async result(answer: Answer): Promise<Answer> {
    if (typeof answer.handle !== 'string') return answer;
    return this.client.request({ op: 'fetch', handle: answer.handle });
  }

  async close(): Promise<void> {
    await this.client.close();
    this.files.dispose();
  }
}
