import os from 'node:os';
import type { BackendSpec } from '../types.js';
import { loadTf, switchTo } from './activate-tfjs.js';
import { FLOAT32_RELATIVE_TOLERANCE } from './tolerance.js';
import { installedVersion } from './versions.js';
import { installTransposeFirstMatMul, NATIVE_TRANSPOSE_ENV } from './wasm-transpose-first.js';

export const wasmBackend: BackendSpec = {
  name: 'wasm',
  description: 'WebAssembly kernels (XNNPACK, SIMD when the runtime has it); single-threaded in Node',
  counted: true,
  async activate() {
    const tf = await loadTf();
    await import('@tensorflow/tfjs-backend-wasm');
    await switchTo(
      tf,
      'wasm',
      'reinstall dependencies with `npm ci` (the .wasm files ship inside @tensorflow/tfjs-backend-wasm)',
    );
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    const nativeTranspose = process.env[NATIVE_TRANSPOSE_ENV] === '1';
    if (!nativeTranspose) installTransposeFirstMatMul(tf);
    return {
      tf,
      runtime: {
        name: 'wasm',
        version: installedVersion('@tensorflow/tfjs-backend-wasm') ?? 'unknown',
        device:
          `${os.cpus()[0]?.model ?? 'unknown CPU'} (wasm${simd ? ' SIMD' : ''}, ` +
          `${threads ? 'multi' : 'single'}-threaded` +
          `${nativeTranspose ? ', tfjs transposed matMul' : ''})`,
        deviceKind: 'cpu',
        relativeTolerance: FLOAT32_RELATIVE_TOLERANCE,
        details: {
          simd: String(simd),
          threads: threads ? 'multi' : '1',
          matmul: nativeTranspose ? 'tfjs-native-transpose' : 'transpose-first',
        },
      },
    };
  },
};
