// tfjs-backend-wasm 4.22 multiplies with transposeA/transposeB through a slow path (about 2.7 GFLOP/s
// against 30 for the same product on an explicitly transposed copy, DESIGN §5), and the backward pass
// of every dense layer asks for exactly those products. This re-registers the wasm matMul kernels so
// that they transpose the operand first (an O(n^2) copy) and then run the fast O(n^3) product.
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../types.js';

/** Set to 1 to keep tfjs's own kernels: the benchmark row that shows what this fix is worth. */
export const NATIVE_TRANSPOSE_ENV = 'MODELBENCH_WASM_NATIVE_TRANSPOSE';

const MATMUL_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

interface BackendWithDispose {
  disposeData(dataId: object): void;
}

type MarkedKernel = KernelConfig & { transposeFirst?: boolean; original?: KernelConfig };

function marked(tf: Tf, kernelName: string, backendName: string): MarkedKernel | undefined {
  return tf.getKernel(kernelName, backendName) as MarkedKernel | undefined;
}

export function transposeFirstInstalled(tf: Tf, backendName = 'wasm'): boolean {
  return marked(tf, 'BatchMatMul', backendName)?.transposeFirst === true;
}

/** Puts tfjs's own matMul kernels back on the active backend, for the row that measures the fix;
 *  does nothing where the fix is not installed. */
export function restoreTfjsMatMul(tf: Tf): void {
  const backendName = tf.getBackend();
  for (const kernelName of MATMUL_KERNELS) {
    const k = marked(tf, kernelName, backendName);
    if (!k?.original) continue;
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(k.original);
  }
}

/** Replaces the wasm matMul kernels by transpose-first versions; idempotent. */
export function installTransposeFirstMatMul(tf: Tf): void {
  if (transposeFirstInstalled(tf)) return;
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('the wasm backend has no Transpose kernel; is @tensorflow/tfjs-backend-wasm loaded?');
  for (const kernelName of MATMUL_KERNELS) {
    const original = tf.getKernel(kernelName, 'wasm');
    if (!original) throw new Error(`the wasm backend has no ${kernelName} kernel`);
    const kernelFunc: KernelFunc = (args) => {
      const attrs = args.attrs as NamedAttrMap & { transposeA?: boolean; transposeB?: boolean };
      if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
      const inputs = args.inputs as Record<string, TensorInfo>;
      const backend = args.backend as unknown as BackendWithDispose;
      const temporaries: TensorInfo[] = [];
      const swapLastTwo = (x: TensorInfo): TensorInfo => {
        const rank = x.shape.length;
        const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
        const t = transpose.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { perm } }) as TensorInfo;
        temporaries.push(t);
        return t;
      };
      const a = attrs.transposeA ? swapLastTwo(inputs.a) : inputs.a;
      const b = attrs.transposeB ? swapLastTwo(inputs.b) : inputs.b;
      try {
        return original.kernelFunc({
          ...args,
          inputs: { ...inputs, a, b },
          attrs: { ...attrs, transposeA: false, transposeB: false },
        });
      } finally {
        for (const t of temporaries) backend.disposeData(t.dataId);
      }
    };
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...original, kernelFunc, transposeFirst: true, original } as MarkedKernel);
  }
}
