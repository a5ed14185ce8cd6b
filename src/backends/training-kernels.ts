// Kernels for the layers of a training step, registered under modelbench names for whichever backend is
// active, each with tfjs's own kernel as its forward (so the forward values are tfjs's) and a gradient that
// computes the same values as tfjs's while dispatching and copying less:
// - ReLU: dy * step(x), where tfjs's Relu gradient also casts the float32 step to float32 (a copy, a kernel);
// - a bias added to every row: its gradient the column sums of dy, on wasm as the product ones(1 x rows) . dy,
//   which XNNPACK sums row by row in order as tfjs-wasm's Sum does (the same float32 values, pinned by
//   tests/models/gan/flat-step.test.ts), without the transpose of dy that tfjs-wasm's Sum over axis 0 makes
//   first (187 us against 15 us for 512 x 128 here); elsewhere the backend's Sum;
// - a product and a fused linear layer (tfjs's _FusedMatMul, bias in the product) whose gradients ask only for
//   what backpropagation needs (tfjs's fused gradient computes all three) and multiply by a transposed operand
//   as wasm-transpose-first.ts does, transposing in a loop that writes in order (67 us against tfjs-wasm's
//   Transpose's 159 us for 512 x 128 here); on other backends the backend's own transposed product.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type * as tfc from '@tensorflow/tfjs';
import type { Tf } from '../types.js';

const RELU_KERNEL = 'ModelbenchRelu';
const BIAS_ADD_KERNEL = 'ModelbenchBiasAdd';
const COLUMN_SUM_KERNEL = 'ModelbenchColumnSum';
const MATMUL_KERNEL = 'ModelbenchMatMul';
const LINEAR_KERNEL = 'ModelbenchLinear';
const MATMUL_T_KERNEL = 'ModelbenchMatMulT';

interface ProductAttrs {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}
const PLAIN: ProductAttrs = { transposeA: false, transposeB: false };

interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object): void;
}

function backendKernel(tf: Tf, kernelName: string, backendName: string): KernelFunc {
  const k = tf.getKernel(kernelName, backendName);
  if (!k) throw new Error(`the ${backendName} backend has no ${kernelName} kernel`);
  return k.kernelFunc;
}

function columnSum(tf: Tf, backendName: string): KernelFunc {
  if (backendName === 'wasm') {
    const product = backendKernel(tf, 'BatchMatMul', backendName);
    return ({ inputs, backend }) => {
      const x = (inputs as { x: TensorInfo }).x;
      const wasm = backend as unknown as WasmBackend;
      const ones = wasm.makeOutput([1, x.shape[0]], 'float32');
      wasm.typedArrayFromHeap(ones).fill(1);
      const attrs = { transposeA: false, transposeB: false };
      const out = product({ inputs: { a: ones, b: x }, backend, attrs }) as TensorInfo;
      wasm.disposeData(ones.dataId);
      return { dataId: out.dataId, shape: [x.shape[1]], dtype: out.dtype };
    };
  }
  const sum = backendKernel(tf, 'Sum', backendName);
  return ({ inputs, backend }) => sum({ inputs, backend, attrs: { axis: [0], keepDims: false } });
}

/** Rows x cols into cols x rows, writing in order: strided reads cost less here than strided writes. */
function transposeInto(src: Float32Array, dst: Float32Array, rows: number, cols: number): void {
  for (let j = 0; j < cols; j++) {
    const o = j * rows;
    for (let i = 0; i < rows; i++) dst[o + i] = src[i * cols + j];
  }
}

/** The product with either operand transposed first; rank-2 operands. */
function transposedProduct(tf: Tf, backendName: string): KernelFunc {
  const product = backendKernel(tf, 'BatchMatMul', backendName);
  if (backendName !== 'wasm') return product;
  return ({ inputs, backend, attrs }) => {
    const wasm = backend as unknown as WasmBackend;
    const { transposeA, transposeB } = attrs as unknown as ProductAttrs;
    const flagged = [transposeA ? inputs.a : undefined, transposeB ? inputs.b : undefined];
    // Every buffer before the first view: a new one may grow the heap and detach older views.
    const copies = flagged.map((x) => x && wasm.makeOutput([x.shape[1], x.shape[0]], 'float32'));
    flagged.forEach((x, k) => {
      if (x) transposeInto(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(copies[k]!), x.shape[0], x.shape[1]);
    });
    try {
      const operands = { a: copies[0] ?? inputs.a, b: copies[1] ?? inputs.b };
      return product({ inputs: operands, backend, attrs: { ...PLAIN } });
    } finally {
      for (const c of copies) if (c) wasm.disposeData(c.dataId);
    }
  };
}

/** tfjs's _FusedMatMul of x [rows, in] and w [in, out] with a bias, linear, on the 3-D shapes tfjs gives it. */
function linear(tf: Tf, backendName: string): KernelFunc {
  const fused = backendKernel(tf, '_FusedMatMul', backendName);
  const as3d = (x: TensorInfo): TensorInfo => ({ dataId: x.dataId, shape: [1, ...x.shape], dtype: x.dtype });
  return ({ inputs, backend }) => {
    const { x, w, bias } = inputs as Record<string, TensorInfo>;
    const attrs = { ...PLAIN, activation: 'linear', leakyreluAlpha: 0.2 };
    const out = fused({ inputs: { a: as3d(x), b: as3d(w), bias }, backend, attrs }) as TensorInfo;
    return { dataId: out.dataId, shape: out.shape.slice(1), dtype: out.dtype };
  };
}

function registerGradients(tf: Tf): void {
  const t = (x: unknown) => x as tfc.Tensor;
  const product = (a: tfc.Tensor, b: tfc.Tensor, transposeA: boolean, transposeB: boolean) =>
    tf.engine().runKernel(MATMUL_T_KERNEL, { a, b }, { transposeA, transposeB }) as tfc.Tensor;
  tf.registerGradient({
    kernelName: MATMUL_KERNEL,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => product(t(dy), b, false, true), b: () => product(a, t(dy), true, false) }),
  });
  tf.registerGradient({
    kernelName: LINEAR_KERNEL,
    inputsToSave: ['x', 'w'],
    gradFunc: (dy, [x, w]) => ({
      x: () => product(t(dy), w, false, true),
      w: () => product(x, t(dy), true, false),
      bias: () => tf.engine().runKernel(COLUMN_SUM_KERNEL, { x: t(dy) }) as tfc.Tensor,
    }),
  });
}

function register(tf: Tf, backendName: string): void {
  const add = backendKernel(tf, 'Add', backendName);
  const matMul = backendKernel(tf, 'BatchMatMul', backendName);
  const kernels: Record<string, KernelFunc> = {
    [RELU_KERNEL]: backendKernel(tf, 'Relu', backendName),
    [BIAS_ADD_KERNEL]: ({ inputs, backend }) => add({ inputs: { a: inputs.x, b: inputs.bias }, backend }),
    [COLUMN_SUM_KERNEL]: columnSum(tf, backendName),
    [MATMUL_KERNEL]: ({ inputs, backend }) => matMul({ inputs, backend, attrs: { ...PLAIN } }),
    [MATMUL_T_KERNEL]: transposedProduct(tf, backendName),
    [LINEAR_KERNEL]: linear(tf, backendName),
  };
  for (const [kernelName, kernelFunc] of Object.entries(kernels))
    tf.registerKernel({ kernelName, backendName, kernelFunc });
  if (tf.getGradient(RELU_KERNEL)) return;
  registerGradients(tf);
  tf.registerGradient({
    kernelName: RELU_KERNEL,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tfc.Tensor, tf.step(saved[0])) }),
  });
  tf.registerGradient({
    kernelName: BIAS_ADD_KERNEL,
    gradFunc: (dy) => ({
      // A new tensor on dy's buffer, as tfjs's Add gradient gives (the engine disposes dy itself).
      x: () => tf.reshape(dy as tfc.Tensor, (dy as tfc.Tensor).shape),
      bias: () => tf.engine().runKernel(COLUMN_SUM_KERNEL, { x: dy as tfc.Tensor }) as tfc.Tensor,
    }),
  });
}

function run<T extends tfc.Tensor>(tf: Tf, kernelName: string, inputs: Record<string, tfc.Tensor>): T {
  const backendName = tf.getBackend();
  if (!tf.getKernel(kernelName, backendName)) register(tf, backendName);
  return tf.engine().runKernel(kernelName, inputs) as T;
}

/** max(x, 0), differentiable with a gradient of two kernels (tfjs's has three). */
export function reluWithoutCast<T extends tfc.Tensor>(tf: Tf, x: T): T {
  return run(tf, RELU_KERNEL, { x });
}

/** a . b (rank 2), whose gradient multiplies by transposed operands without tfjs-wasm's Transpose. */
export function matMulForTraining(tf: Tf, a: tfc.Tensor2D, b: tfc.Tensor2D): tfc.Tensor2D {
  return run(tf, MATMUL_KERNEL, { a, b });
}

/** x . w + bias as tfjs's fused linear layer computes it (the bias in the product), with a lazy gradient. */
export function linearForTraining(tf: Tf, x: tfc.Tensor2D, w: tfc.Tensor2D, bias: tfc.Tensor1D): tfc.Tensor2D {
  return run(tf, LINEAR_KERNEL, { x, w, bias });
}

/** x + bias (x [rows, n], bias [n]), whose bias gradient sums dy's columns without transposing dy. */
export function addBias(tf: Tf, x: tfc.Tensor2D, bias: tfc.Tensor1D): tfc.Tensor2D {
  return run(tf, BIAS_ADD_KERNEL, { x, bias });
}
