// What a model offers implementations under test: workloads named as ours, each a timed protocol
// request on data the harness loaded into the implementation, judged by our float64 oracle.
import type { Seeds } from '../seeds.js';
import type { ObjectiveCheck, SizeParams, Tf } from '../types.js';
import type { Answer, Handle, Request } from './messages.js';

/** An implementation process as the workloads see it. */
export interface ImplSession {
  /** Sends one request and waits for its answer (untimed). */
  request(message: Request): Promise<Answer>;
  /** Writes the values to a float64 file and has the implementation load it: no matrix travels as JSON. */
  load(values: Float64Array | Float32Array, shape: readonly number[]): Promise<Handle>;
}

export interface ImplWorkloadContext {
  readonly session: ImplSession;
  readonly size: SizeParams;
  readonly seeds: Seeds;
  /** Our reference backend (wasm), for judges that need our own optimum; started on first use. */
  readonly reference: () => Promise<Tf>;
}

export interface PreparedImplWorkload {
  /** The timed request; its round trip is one sample. */
  readonly request: Request;
  readonly workPerRun: number;
  readonly workUnit: string;
  /** Judges the answer to the last timed request (and may ask the implementation more, untimed). */
  judge(answer: Answer): Promise<ObjectiveCheck>;
}

export interface ImplWorkload {
  /** The name of our workload it mirrors: same data, same size, same oracle. */
  readonly name: string;
  /** What the implementation is asked to do, for docs/protocol.md and --help. */
  readonly description: string;
  /** Untimed: loads the data, fits what the timed request needs. */
  prepare(ctx: ImplWorkloadContext): Promise<PreparedImplWorkload>;
}
