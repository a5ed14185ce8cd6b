// A labelled dataset on the tfjs device, in both orientations the solvers multiply with: on wasm,
// w^T X^T and r^T X are several times faster than X w and X^T r (DESIGN.md §5).
import type { Tensor2D } from '@tensorflow/tfjs';
import type { Dataset, Tf } from '../types.js';

/** The data on the device, in both orientations the solver multiplies with. */
export interface DeviceData {
  readonly x: Tensor2D;
  readonly xt: Tensor2D;
  /** Labels as signs t = 2y - 1, shape [1, m]. */
  readonly t: Tensor2D;
  dispose(): void;
}

export function uploadData(tf: Tf, data: Dataset): DeviceData {
  const xs = Float32Array.from(data.x);
  const ts = Float32Array.from(data.y, (y) => 2 * y - 1);
  return uploadFloat32(tf, xs, ts, data.rows, data.cols);
}

export function uploadFloat32(tf: Tf, xs: Float32Array, ts: Float32Array, rows: number, cols: number): DeviceData {
  const x = tf.tensor2d(xs, [rows, cols]);
  const xt = tf.tidy(() => tf.transpose(x) as Tensor2D);
  const t = tf.tensor2d(ts, [1, rows]);
  return { x, xt, t, dispose: () => tf.dispose([x, xt, t]) };
}
