// The element update of adam-kernel.ts as WebAssembly working on tfjs-wasm's own memory: float32 operations
// in the order adam-kernel.ts's JavaScript emulates with Math.fround (f32 add, mul, div and sqrt are IEEE in
// WebAssembly, so the values are the same), in about a quarter of its time here (the JavaScript loop takes 11 ns
// an entry). The module is 150 bytes, encoded below rather than shipped as a binary, and imports the backend's
// WebAssembly.Memory, so that it reads and writes the tensors where they lie.
import { OP, section, text, uleb, WASM_TYPE, wasmModule } from '../wasm-bytes.js';

/** Byte offsets into the memory and the step's float32 scalars (adam-kernel.ts's FlatAdamAttrs, rounded). */
export type AdamWasm = (
  p: number,
  g: number,
  out: number,
  m: number,
  v: number,
  n: number,
  b1: number,
  c1: number,
  b2: number,
  c2: number,
  eps: number,
  corr: number,
  step: number,
) => void;

const { i32: I32, f32: F32 } = WASM_TYPE;
/** Parameters, then locals, by index. */
const [P, G, O, M, V, N, B1, C1, B2, C2, EPS, CORR, STEP, MK, VK, GJ] = Array.from({ length: 16 }, (_, i) => i);

const get = (i: number) => [OP.get, i];
/** f32.load / f32.store with 4-byte alignment, offset 0. */
const load = [OP.f32Load, 2, 0];
const store = [OP.f32Store, 2, 0];

function body(): number[] {
  const advance = [P, G, O, M, V].flatMap((k) => [...get(k), OP.i32Const, 4, OP.i32Add, OP.set, k]);
  // prettier-ignore
  const step = [
    ...get(G), ...load, OP.set, GJ,
    // m' = m b1 + g c1
    ...get(M), ...load, ...get(B1), OP.f32Mul, ...get(GJ), ...get(C1), OP.f32Mul, OP.f32Add, OP.set, MK,
    // v' = v b2 + (g c2) g
    ...get(V), ...load, ...get(B2), OP.f32Mul,
    ...get(GJ), ...get(C2), OP.f32Mul, ...get(GJ), OP.f32Mul, OP.f32Add, OP.set, VK,
    ...get(M), ...get(MK), ...store,
    ...get(V), ...get(VK), ...store,
    // out = p + (m' step) / (sqrt(v') / corr + eps)
    ...get(O), ...get(P), ...load, ...get(MK), ...get(STEP), OP.f32Mul,
    ...get(VK), OP.f32Sqrt, ...get(CORR), OP.f32Div, ...get(EPS), OP.f32Add, OP.f32Div, OP.f32Add, ...store,
    ...advance,
    ...get(N), OP.i32Const, 1, OP.i32Sub, OP.tee, N, OP.brIf, 0,
  ];
  const code = [
    ...[1, 3, F32], // one run of three f32 locals: m', v', g
    ...[OP.block, 0x40, ...get(N), OP.i32Eqz, OP.brIf, 0, OP.loop, 0x40, ...step, OP.end, OP.end, OP.end],
  ];
  return [...uleb(code.length), ...code];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const params = [I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32];
  return wasmModule(
    section(1, [1, 0x60, params.length, ...params, 0]),
    section(2, [1, ...text('env'), ...text('memory'), 0x02, 0x00, 0x01]),
    section(3, [1, 0]),
    section(7, [1, ...text('adam'), 0x00, 0]),
    section(10, [1, ...body()]),
  );
}

const compiled = new WeakMap<WebAssembly.Memory, AdamWasm>();

/** The update bound to a tfjs-wasm memory, compiled once per memory. */
export function adamWasm(memory: WebAssembly.Memory): AdamWasm {
  let f = compiled.get(memory);
  if (!f) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), { env: { memory } });
    f = instance.exports.adam as AdamWasm;
    compiled.set(memory, f);
  }
  return f;
}
