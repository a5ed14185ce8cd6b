// What the reference implementations behind the validate protocol share: one wasm backend for the
// worker, the request's shape, and protocol matrices as a Dataset.
import { wasmBackend } from '../backends/wasm.js';
import type { Dataset, Tf } from '../types.js';

let tfPromise: Promise<Tf> | undefined;
export const tfjs = (): Promise<Tf> => (tfPromise ??= wasmBackend.activate().then((a) => a.tf));

export interface Request {
  op: string;
  model?: string;
  X?: number[][];
  y?: number[];
  Z?: number[][];
  eps?: number[][];
  params?: { C?: number | null; kernel?: string; gamma?: number } & Record<string, unknown>;
}

/** A model's answers to the protocol, op by op: what src/validate/reference-impl.ts serves for it. */
export type ReferenceHandler = Readonly<Record<string, (r: Request) => unknown>>;

export function dataset(X: number[][], y: number[]): Dataset {
  const cols = X[0]?.length ?? 0;
  return {
    name: 'request',
    rows: X.length,
    cols,
    x: Float64Array.from(X.flat()),
    y: Float64Array.from(y, (v) => (v === 1 ? 1 : 0)),
    featureNames: Array.from({ length: cols }, (_, j) => `x${j}`),
  };
}
