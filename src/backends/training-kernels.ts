// Two kernels for the layers of a training step, registered under modelbench names for whichever backend is
// active, each with tfjs's own kernel as its forward (so the forward values are tfjs's) and a gradient that
// dispatches less than tfjs's for the same values:
// - ReLU: dy * step(x), where tfjs's Relu gradient also casts the float32 step to float32 (a copy, a kernel);
// - a bias added to every row: its gradient the column sums of dy, on wasm as the product ones(1 x rows) . dy,
//   which XNNPACK sums row by row in order as tfjs-wasm's Sum does (the same float32 values, pinned by
//   tests/models/gan/flat-step.test.ts), without the transpose of dy that tfjs-wasm's Sum over axis 0 makes
//   first (187 us against 15 us for 512 x 128 here); elsewhere the backend's Sum.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type * as tfc from '@tensorflow/tfjs';
import type { Tf } from '../types.js';

const RELU_KERNEL = 'ModelbenchRelu';
const BIAS_ADD_KERNEL = 'ModelbenchBiasAdd';
const COLUMN_SUM_KERNEL = 'ModelbenchColumnSum';

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

function register(tf: Tf, backendName: string): void {
  const add = backendKernel(tf, 'Add', backendName);
  const kernels: Record<string, KernelFunc> = {
    [RELU_KERNEL]: backendKernel(tf, 'Relu', backendName),
    [BIAS_ADD_KERNEL]: ({ inputs, backend }) => add({ inputs: { a: inputs.x, b: inputs.bias }, backend }),
    [COLUMN_SUM_KERNEL]: columnSum(tf, backendName),
  };
  for (const [kernelName, kernelFunc] of Object.entries(kernels))
    tf.registerKernel({ kernelName, backendName, kernelFunc });
  if (tf.getGradient(RELU_KERNEL)) return;
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

/** x + bias (x [rows, n], bias [n]), whose bias gradient sums dy's columns without transposing dy. */
export function addBias(tf: Tf, x: tfc.Tensor2D, bias: tfc.Tensor1D): tfc.Tensor2D {
  return run(tf, BIAS_ADD_KERNEL, { x, bias });
}
