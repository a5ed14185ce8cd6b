// PyTorch's Adam update (torch-adam.ts: operand order included, every operation rounded to float32 as tfjs's
// elementwise kernels round it) as one kernel over any list of variables, for the cpu and wasm backends, where
// the kernel can reach a tensor's data: on wasm through a WebAssembly function on the backend's own memory
// (adam-wasm.ts), on cpu in the backend's own arrays. Nothing crosses to the host and nothing is concatenated:
// the kernel walks the variables and their gradients where they lie and keeps both moments in two flat buffers
// that it updates in place.
//
// A parameter is updated in place only where nothing else can see its buffer: on wasm when the variable is
// the buffer's only tensor (the backend's reference count is 1; a reshape or clone of it, or the tensor it was
// made from, shares the buffer and raises the count); on cpu never, since the backend hands its own array out
// to `dataSync()` and keeps the array a tensor was made from, so that writing there would change arrays the
// caller holds. Such a parameter gets a new buffer. Either way the kernel returns one tensor per parameter,
// which the caller assigns to its variable (for an in-place one, the same buffer).
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../types.js';
import { adamWasm } from './adam-wasm.js';

/** A modelbench kernel name: tfjs's registry is shared with every other library in the process. */
export const FLAT_ADAM_KERNEL = 'ModelbenchTorchAdamFlat';

/** The scalars of one step; the bias corrections come from the host in float64 (torch-adam.ts). */
export interface FlatAdamAttrs {
  readonly count: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** lr / (1 - beta1^t) */
  readonly stepSize: number;
  /** sqrt(1 - beta2^t) */
  readonly correction2: number;
}

/** What the kernel needs of a backend's storage. */
interface Storage {
  /** One parameter's step, its moments from entry `offset` of m and v; p and out may be one buffer. */
  update(p: TensorInfo, g: TensorInfo, out: TensorInfo, m: TensorInfo, v: TensorInfo, offset: number): void;
  /** Whether writing into this tensor's buffer can change what no other tensor or caller sees. */
  exclusive(info: TensorInfo): boolean;
  /** The same buffer as one more tensor (its reference counted), or a new buffer of the shape. */
  same(info: TensorInfo): TensorInfo;
  fresh(shape: number[]): TensorInfo;
  /** After an in-place write: drops what the backend derived from the old values. */
  written(info: TensorInfo): void;
}

interface WasmBackend {
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
  wasm: {
    asm: { memory: WebAssembly.Memory };
    tfjs: { disposeData(id: number): void; registerTensor(id: number, size: number, offset: number): void };
  };
  refCount(dataId: object): number;
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

interface CpuBackend {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

const size = (info: TensorInfo) => info.shape.reduce((a, b) => a * b, 1);

function wasmStorage(backend: WasmBackend, a: FlatAdamAttrs): Storage {
  const update = adamWasm(backend.wasm.asm.memory);
  const at = (info: TensorInfo) => backend.dataIdMap.get(info.dataId).memoryOffset;
  const s = scalars(a);
  return {
    update: (p, g, out, m, v, offset) =>
      update(at(p), at(g), at(out), at(m) + 4 * offset, at(v) + 4 * offset, size(p), ...s),
    exclusive: (info) => backend.refCount(info.dataId) === 1,
    same(info) {
      backend.incRef(info.dataId);
      return { dataId: info.dataId, shape: info.shape, dtype: info.dtype };
    },
    fresh: (shape) => backend.makeOutput(shape, 'float32'),
    // tfjs-wasm's matMul keeps XNNPACK's packing of a weight matrix keyed by the tensor's id and drops it when
    // the id is disposed (backend.cc, dispose_data): without this, the next product would use the old weights.
    // Disposing and registering the id again at the same memory is what a new tensor would cost.
    written(info) {
      const { id, memoryOffset } = backend.dataIdMap.get(info.dataId);
      backend.wasm.tfjs.disposeData(id);
      backend.wasm.tfjs.registerTensor(
        id,
        info.shape.reduce((a, b) => a * b, 1),
        memoryOffset,
      );
    },
  };
}

function cpuStorage(backend: CpuBackend, a: FlatAdamAttrs): Storage {
  const view = (info: TensorInfo) => {
    const values = backend.data.get(info.dataId).values;
    if (!(values instanceof Float32Array)) throw new Error(`${FLAT_ADAM_KERNEL}: a tensor is not float32`);
    return values;
  };
  const s = scalars(a);
  return {
    update: (p, g, out, m, v, offset) => updateEntries(view(p), view(g), view(out), view(m), view(v), offset, s),
    exclusive: () => false,
    same: () => {
      throw new Error(`${FLAT_ADAM_KERNEL}: no parameter is updated in place on cpu`);
    },
    fresh: (shape) => backend.makeTensorInfo(shape, 'float32', new Float32Array(size({ shape } as TensorInfo))),
    written: () => {},
  };
}

const STORAGE: Record<string, (backend: unknown, a: FlatAdamAttrs) => Storage> = {
  wasm: (b, a) => wasmStorage(b as WasmBackend, a),
  cpu: (b, a) => cpuStorage(b as CpuBackend, a),
};

/** The backends the kernel is registered for. */
export const FLAT_ADAM_BACKENDS = Object.keys(STORAGE);

type Scalars = [b1: number, c1: number, b2: number, c2: number, eps: number, corr: number, step: number];

/** The scalars as tfjs makes them: float32 tensors of the float64 numbers torch-adam.ts passes. */
function scalars(a: FlatAdamAttrs): Scalars {
  const f = Math.fround;
  return [f(a.beta1), f(1 - a.beta1), f(a.beta2), f(1 - a.beta2), f(a.epsilon), f(a.correction2), f(-a.stepSize)];
}

/** One variable's entries from `offset` of the flat moments; p and out may be the same array. adam-wasm.ts
 *  computes the same in WebAssembly's float32. */
function updateEntries(
  p: Float32Array,
  g: Float32Array,
  out: Float32Array,
  m: Float32Array,
  v: Float32Array,
  offset: number,
  [b1, c1, b2, c2, eps, corr, step]: Scalars,
): void {
  const f = Math.fround;
  for (let j = 0; j < p.length; j++) {
    const k = offset + j;
    const gj = g[j];
    // Float64 operations on float32 operands, each rounded back: exactly float32's +, *, / and sqrt.
    const mk = f(f(m[k] * b1) + f(gj * c1));
    const vk = f(f(v[k] * b2) + f(f(gj * c2) * gj));
    const denom = f(f(f(Math.sqrt(vk)) / corr) + eps);
    m[k] = mk;
    v[k] = vk;
    out[j] = f(p[j] + f(f(mk * step) / denom));
  }
}

function checkInputs(params: TensorInfo[], grads: TensorInfo[], m: TensorInfo, v: TensorInfo): number {
  let total = 0;
  params.forEach((p, i) => {
    const g = grads[i];
    if (!g || g.shape.join() !== p.shape.join() || p.dtype !== 'float32' || g.dtype !== 'float32')
      throw new Error(`${FLAT_ADAM_KERNEL}: gradient ${i} does not match its float32 parameter of shape ${p.shape}`);
    total += p.shape.reduce((a, b) => a * b, 1);
  });
  for (const x of [m, v])
    if (x.shape.length !== 1 || x.shape[0] !== total)
      throw new Error(`${FLAT_ADAM_KERNEL}: the moments must be flat float32 of ${total} entries, got ${x.shape}`);
  return total;
}

function flatAdamKernel(
  storageOf: (backend: unknown, a: FlatAdamAttrs) => Storage,
  backend: unknown,
  inputs: Record<string, TensorInfo>,
  named: NamedAttrMap,
): TensorInfo[] {
  const attrs = named as unknown as FlatAdamAttrs;
  const storage = storageOf(backend, attrs);
  const n = attrs.count;
  const params = Array.from({ length: n }, (_, i) => inputs[`p${i}`]);
  const grads = Array.from({ length: n }, (_, i) => inputs[`g${i}`]);
  checkInputs(params, grads, inputs.m, inputs.v);
  // A buffer passed twice (a parameter that is also another's gradient) is one tensor, counted once.
  const uses = new Map<object, number>();
  for (const x of Object.values(inputs)) uses.set(x.dataId, (uses.get(x.dataId) ?? 0) + 1);
  const outs = params.map((p) =>
    uses.get(p.dataId) === 1 && storage.exclusive(p) ? storage.same(p) : storage.fresh(p.shape),
  );
  let offset = 0;
  params.forEach((p, i) => {
    storage.update(p, grads[i], outs[i], inputs.m, inputs.v, offset);
    if (outs[i].dataId === p.dataId) storage.written(p);
    offset += size(p);
  });
  return outs;
}

/** Registers the kernel for every backend it knows (idempotent); tfjs's registry is per process. */
export function registerFlatAdamKernel(tf: Tf): void {
  for (const backendName of FLAT_ADAM_BACKENDS) {
    if (tf.getKernel(FLAT_ADAM_KERNEL, backendName)) continue;
    const config: KernelConfig = {
      kernelName: FLAT_ADAM_KERNEL,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) =>
        flatAdamKernel(STORAGE[backendName], backend, inputs as Record<string, TensorInfo>, attrs as NamedAttrMap),
    };
    tf.registerKernel(config);
  }
}

/** Whether the active backend has the kernel (registerFlatAdamKernel first). */
export function hasFlatAdamKernel(tf: Tf): boolean {
  return tf.getKernel(FLAT_ADAM_KERNEL, tf.getBackend()) !== undefined;
}
