// The messages between modelbench validate and an implementation under test (docs/protocol.md):
// one JSON object per line each way, answered in order; any answer may be {"error": "..."}.
import { ImplementationError } from '../errors.js';

/**
 * The protocol version this harness speaks. 1: every matrix inline as JSON (validate only). 2: adds
 * `load` (binary float64 files the harness wrote, answered with a handle that any later matrix or
 * vector field may name as {"handle": h}), `ping`, `init` and `train_steps`, and `elapsed_ms` in
 * answers — what `run --impl` needs; timed results come inline. 3: a timed request may ask for
 * "result": "handle", answered at once with a handle and the result's digest (digest.ts), and the
 * result fetched after timing. A hello without "protocol" is version 1.
 */
export const PROTOCOL_VERSION = 3;
export const SUPPORTED_PROTOCOLS: readonly number[] = [1, 2, 3];
/** The least version `run --impl` can time (it needs `load` and `ping`). */
export const TIMED_PROTOCOL = 2;
/** The least version whose timed results are kept by handle, with a digest, until fetched. */
export const KEPT_RESULT_PROTOCOL = 3;
/** How much of an implementation's name, version or device the harness shows and records. */
export const MAX_WORDS_CHARS = 200;

/** A matrix or vector the implementation already holds: the answer to a `load`. */
export interface Handle {
  readonly handle: string;
}

export interface Hello {
  readonly name: string;
  readonly version: string;
  readonly models: string[];
  /** Checks the implementation is known to fail, with the reason: shown as expected failures. */
  readonly expected_failures?: Readonly<Record<string, string>>;
  /** The protocol version it speaks (1 when absent). */
  readonly protocol?: number;
  /** Per model, the workloads it can be timed on (`run --impl`); absent: every workload of that model. */
  readonly workloads?: Readonly<Record<string, readonly string[]>>;
  /** Where it runs (e.g. "CPU, 1 thread"), shown in its rows. */
  readonly device?: string;
  /** Set when it cannot run here (a library missing): its rows say `unavailable` with this reason and `fix`. */
  readonly unavailable?: string;
  readonly fix?: string;
}

export type Request = { readonly op: string; readonly model?: string } & Readonly<Record<string, unknown>>;
export type Answer = Readonly<Record<string, unknown>>;

function finiteArray(v: unknown, label: string, length?: number): number[] {
  if (!Array.isArray(v))
    throw new ImplementationError(`'${label}' is ${JSON.stringify(v)?.slice(0, 80)}, not an array`);
  if (length !== undefined && v.length !== length)
    throw new ImplementationError(`'${label}' has ${v.length} entries, expected ${length}`);
  const bad = v.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
  if (bad >= 0) throw new ImplementationError(`'${label}'[${bad}] is ${JSON.stringify(v[bad])}, not a finite number`);
  return v as number[];
}

/** A field that must be an array of finite numbers (of the given length). */
export function numbers(answer: Answer, field: string, length?: number): number[] {
  if (!(field in answer))
    throw new ImplementationError(`the answer has no '${field}' (got ${JSON.stringify(answer).slice(0, 120)})`);
  return finiteArray(answer[field], field, length);
}

/** A field that must be a finite number. */
export function scalar(answer: Answer, field: string): number {
  const v = answer[field];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ImplementationError(`'${field}' is ${JSON.stringify(v)}, not a finite number`);
  return v;
}

/** A field that must be rows x cols finite numbers. */
export function matrix(answer: Answer, field: string, rows: number, cols: number): number[][] {
  const v = answer[field];
  if (!Array.isArray(v) || v.length !== rows)
    throw new ImplementationError(`'${field}' must be a list of ${rows} rows`);
  return v.map((row, i) => finiteArray(row, `${field}[${i}]`, cols));
}

/** A row-major typed array as the protocol's list of rows. */
export function toRows(values: Float32Array | Float64Array, cols: number): number[][] {
  return Array.from({ length: values.length / cols }, (_, i) => Array.from(values.subarray(i * cols, (i + 1) * cols)));
}
