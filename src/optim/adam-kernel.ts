// PyTorch's Adam update (torch-adam.ts: operand order included, every operation rounded to float32 as tfjs's
// elementwise kernels round it) as one kernel over any list of variables, for the cpu and wasm backends, where
// a tensor's data is an array the kernel can reach: on wasm a view of the module's heap, on cpu the backend's
// own array. Nothing crosses to the host and nothing is concatenated: the kernel walks the variables and
// their gradients where they lie and keeps both moments in two flat buffers that it updates in place.
//
// A parameter is updated in place only where nothing else can see its buffer: on wasm when the variable is
// the buffer's only tensor (the backend's reference count is 1; a reshape or clone of it, or the tensor it was
// made from, shares the buffer and raises the count); on cpu never, since the backend hands its own array out
// to `dataSync()` and keeps the array a tensor was made from, so that writing there would change arrays the
// caller holds. Such a parameter gets a new buffer. Either way the kernel returns one tensor per parameter,
// which the caller assigns to its variable (for an in-place one, the same buffer).
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../types.js';

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
  /** The float32 data of a tensor, writable. */
  view(info: TensorInfo): Float32Array;
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
  wasm: { tfjs: { disposeData(id: number): void; registerTensor(id: number, size: number, offset: number): void } };
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  refCount(dataId: object): number;
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

interface CpuBackend {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

function wasmStorage(backend: WasmBackend): Storage {
  return {
    // A view of the heap: taken after every allocation, since growing the heap detaches older views.
    view: (info) => backend.typedArrayFromHeap(info),
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

function cpuStorage(backend: CpuBackend): Storage {
  return {
    view(info) {
      const values = backend.data.get(info.dataId).values;
      if (!(values instanceof Float32Array)) throw new Error(`${FLAT_ADAM_KERNEL}: a tensor is not float32`);
      return values;
    },
    exclusive: () => false,
    same: () => {
      throw new Error(`${FLAT_ADAM_KERNEL}: no parameter is updated in place on cpu`);
    },
    fresh: (shape) => backend.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((a, b) => a * b, 1))),
    written: () => {},
  };
}

const STORAGE: Record<string, (backend: unknown) => Storage> = {
  wasm: (b) => wasmStorage(b as WasmBackend),
  cpu: (b) => cpuStorage(b as CpuBackend),
};

/** The backends the kernel is registered for. */
export const FLAT_ADAM_BACKENDS = Object.keys(STORAGE);

/** One variable's entries from `offset` of the flat moments; p and out may be the same array. */
function updateEntries(
  p: Float32Array,
  g: Float32Array,
  out: Float32Array,
  m: Float32Array,
  v: Float32Array,
  offset: number,
  a: FlatAdamAttrs,
): void {
  const f = Math.fround;
  // The scalars as tfjs makes them: float32 tensors of the float64 numbers torch-adam.ts passes.
  const b1 = f(a.beta1);
  const c1 = f(1 - a.beta1);
  const b2 = f(a.beta2);
  const c2 = f(1 - a.beta2);
  const eps = f(a.epsilon);
  const corr = f(a.correction2);
  const step = f(-a.stepSize);
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

function flatAdamKernel(storage: Storage, inputs: Record<string, TensorInfo>, attrs: FlatAdamAttrs): TensorInfo[] {
  const n = attrs.count;
  const params = Array.from({ length: n }, (_, i) => inputs[`p${i}`]);
  const grads = Array.from({ length: n }, (_, i) => inputs[`g${i}`]);
  checkInputs(params, grads, inputs.m, inputs.v);
  // A buffer passed twice (a parameter that is also another's gradient) is one tensor, counted once.
  const uses = new Map<object, number>();
  for (const x of Object.values(inputs)) uses.set(x.dataId, (uses.get(x.dataId) ?? 0) + 1);
  // Every allocation before the first view (a new buffer may grow the wasm heap).
  const outs = params.map((p) =>
    uses.get(p.dataId) === 1 && storage.exclusive(p) ? storage.same(p) : storage.fresh(p.shape),
  );
  const m = storage.view(inputs.m);
  const v = storage.view(inputs.v);
  let offset = 0;
  params.forEach((p, i) => {
    const pv = storage.view(p);
    updateEntries(pv, storage.view(grads[i]), storage.view(outs[i]), m, v, offset, attrs);
    if (outs[i].dataId === p.dataId) storage.written(p);
    offset += pv.length;
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
        flatAdamKernel(
          STORAGE[backendName](backend),
          inputs as Record<string, TensorInfo>,
          attrs as NamedAttrMap as unknown as FlatAdamAttrs,
        ),
    };
    tf.registerKernel(config);
  }
}

/** Whether the active backend has the kernel (registerFlatAdamKernel first). */
export function hasFlatAdamKernel(tf: Tf): boolean {
  return tf.getKernel(FLAT_ADAM_KERNEL, tf.getBackend()) !== undefined;
}
