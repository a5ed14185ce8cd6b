// The kernel products the SVM solver needs, computed on the tfjs backend: the columns of K for a
// working set, multiplied by coefficients (m x q products, the heavy part), and the small q x q
// Gram block. Linear: K(X, X_B) c = X (X_B^T c), one matrix-vector product. RBF: from
// ||x||^2 + ||z||^2 - 2 x.z with one matrix product, then exp.
import type { Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from '../../types.js';

export type SvmKernel = { readonly type: 'linear' } | { readonly type: 'rbf'; readonly gamma: number };

export interface KernelOperator {
  /** sum_{j in B} K(x_i, x_j) c_j for every row i, as float64. */
  applyBlock(block: readonly number[], coef: Float64Array): Promise<Float64Array>;
  /** K(x_a, x_b) for a, b in B, row-major q x q, float64 (computed on the host: q is small). */
  gram(block: readonly number[]): Float64Array;
  dispose(): void;
}

export function kernelOperator(tf: Tf, x: Float64Array, rows: number, cols: number, kernel: SvmKernel): KernelOperator {
  const xDev = tf.tensor2d(Float32Array.from(x), [rows, cols]);
  // Linear products go as (c^T X_B) X^T: on wasm w^T X^T is ~4x faster than X w (DESIGN.md §5).
  const xtDev = kernel.type === 'linear' ? tf.tidy(() => tf.transpose(xDev) as Tensor2D) : undefined;
  const sqNorms = kernel.type === 'rbf' ? tf.tidy(() => tf.sum(tf.square(xDev), 1, true) as Tensor2D) : undefined;
  const hostRow = (i: number) => x.subarray(i * cols, (i + 1) * cols);
  const k = (a: number, b: number): number => {
    const xa = hostRow(a);
    const xb = hostRow(b);
    if (kernel.type === 'linear') {
      let s = 0;
      for (let j = 0; j < cols; j++) s += xa[j] * xb[j];
      return s;
    }
    let d2 = 0;
    for (let j = 0; j < cols; j++) d2 += (xa[j] - xb[j]) ** 2;
    return Math.exp(-kernel.gamma * d2);
  };
  return {
    async applyBlock(block, coef) {
      const q = block.length;
      // X_B laid out transposed (d x q) on the host: on wasm a product with a transposed operand
      // runs ~10x slower than the same product with the operand transposed beforehand.
      const xbCols = new Float32Array(cols * q);
      block.forEach((i, r) => {
        const row = hostRow(i);
        for (let k = 0; k < cols; k++) xbCols[k * q + r] = row[k];
      });
      const out = tf.tidy(() => {
        const xb = tf.tensor2d(xbCols, [cols, q]);
        const c = tf.tensor2d(Float32Array.from(coef), [q, 1]);
        if (kernel.type === 'linear') {
          // (X_B^T c)^T X^T: a d-vector times X^T instead of m x q kernel columns.
          return tf.matMul(tf.matMul(tf.tensor2d(Float32Array.from(coef), [1, q]), xb, false, true), xtDev!);
        }
        const cross = tf.matMul(xDev, xb);
        const zNorms = tf.sum(tf.square(xb), 0, true);
        const d2 = tf.relu(tf.sub(tf.add(sqNorms!, zNorms), tf.mul(cross, 2)));
        return tf.matMul(tf.exp(tf.mul(d2, -kernel.gamma)), c);
      });
      const values = await out.data();
      out.dispose();
      return Float64Array.from(values);
    },
    gram(block) {
      const q = block.length;
      const g = new Float64Array(q * q);
      for (let a = 0; a < q; a++) {
        for (let b = 0; b <= a; b++) {
          const v = k(block[a], block[b]);
          g[a * q + b] = v;
          g[b * q + a] = v;
        }
      }
      return g;
    },
    dispose() {
      tf.dispose([xDev, ...(sqNorms ? [sqNorms] : []), ...(xtDev ? [xtDev] : [])]);
    },
  };
}
