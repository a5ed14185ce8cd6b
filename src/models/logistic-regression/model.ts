// Reference logistic regression on tfjs. The heavy products run on the backend in float32 in the
// orientations that are fast on wasm (DESIGN.md §5: w^T X^T and r^T X, never X w or X^T r with a
// transposed operand); L-BFGS steers from float64 JS; a float64 polish finishes where float32 runs out.
import type { Tensor2D } from '@tensorflow/tfjs';
import { uploadData, type DeviceData } from '../../data/device.js';
import { lbfgs, LBFGS_DEFAULTS, type Evaluation } from '../../optim/lbfgs.js';
import type { Dataset, Tf } from '../../types.js';

export { uploadData, type DeviceData };
import { newtonPolishPays, polish } from './polish.js';

export interface LogregConfig {
  /** Inverse regularisation strength; Infinity means no penalty. */
  readonly C: number;
  /** Converged when ||grad J||_inf <= tolerance * C * m (float64). */
  readonly tolerance: number;
  readonly maxIterations: number;
}

// 1e-6 of C*m is 100x tighter than sklearn's default (tol 1e-4 on the gradient of J / (C m)).
export const LOGREG_DEFAULTS: LogregConfig = { C: 1, tolerance: 1e-6, maxIterations: 1000 };

export interface LogregFit {
  readonly weights: Float64Array;
  readonly bias: number;
  /** J at the returned parameters, as computed on the backend (float32 on most backends). */
  readonly backendObjective: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly message: string;
}

function weightScale(C: number): number {
  return C === Infinity ? 1 : C;
}

/** J and its gradient at theta = [w, b], computed on the backend. Also the smallest margin t*f. */
export async function evaluateOnDevice(
  tf: Tf,
  dev: DeviceData,
  C: number,
  theta: Float64Array,
): Promise<Evaluation & { minMargin: number }> {
  const cols = theta.length - 1;
  const scale = weightScale(C);
  const [lossT, gwT, gbT, marginT] = tf.tidy(() => {
    const w = tf.tensor2d(Float32Array.from(theta.subarray(0, cols)), [1, cols]);
    const f = tf.add(tf.matMul(w, dev.xt), theta[cols]);
    const z = tf.neg(tf.mul(dev.t, f));
    const loss = tf.sum(tf.add(tf.relu(z), tf.log1p(tf.exp(tf.neg(tf.abs(z))))));
    // d softplus(-t f) / df = -t sigmoid(-t f)
    const r = tf.mul(tf.mul(tf.neg(dev.t), tf.sigmoid(z)), scale);
    return [loss, tf.matMul(r, dev.x), tf.sum(r), tf.neg(tf.max(z))];
  });
  const [loss, gw, gb, margin] = await Promise.all([lossT.data(), gwT.data(), gbT.data(), marginT.data()]);
  tf.dispose([lossT, gwT, gbT, marginT]);
  const gradient = new Float64Array(cols + 1);
  let sq = 0;
  for (let j = 0; j < cols; j++) {
    gradient[j] = gw[j] + (C === Infinity ? 0 : theta[j]);
    sq += theta[j] * theta[j];
  }
  gradient[cols] = gb[0];
  const value = C === Infinity ? loss[0] : 0.5 * sq + C * loss[0];
  return { value, gradient, minMargin: margin[0] };
}

const SEPARABLE_MESSAGE =
  'the data are linearly separable, so with C = inf the loss has no ' +
  'minimiser (it tends to 0 as ||w|| grows); use a finite C';

export async function fitOnDevice(tf: Tf, dev: DeviceData, data: Dataset, config: LogregConfig): Promise<LogregFit> {
  const cols = data.cols;
  const gradTol = config.tolerance * weightScale(config.C) * data.rows;
  let separable = false;
  const first = await lbfgs((theta) => evaluateOnDevice(tf, dev, config.C, theta), new Float64Array(cols + 1), {
    ...LBFGS_DEFAULTS,
    maxIterations: config.maxIterations,
    gradientTolerance: gradTol,
    stopWhen: (_theta, e) => {
      if (config.C === Infinity && (e as Evaluation & { minMargin: number }).minMargin > 0) {
        separable = true;
        return SEPARABLE_MESSAGE;
      }
      return undefined;
    },
  });
  if (separable) return finish(first.theta, first.iterations, false, SEPARABLE_MESSAGE, first.evaluation.value);
  if (first.stop === 'gradient' && !newtonPolishPays(data)) {
    // Large and already within tolerance on the backend: a float64 pass would cost more than the solve.
    return finish(
      first.theta,
      first.iterations,
      true,
      'converged (float32 L-BFGS on the backend)',
      first.evaluation.value,
    );
  }
  // --max-iter bounds the whole fit: the float64 polish gets what the backend's L-BFGS left.
  const left = config.maxIterations - first.iterations;
  if (left <= 0)
    return finish(
      first.theta,
      first.iterations,
      false,
      `stopped at the iteration limit (${config.maxIterations}) before the float64 polish; raise --max-iter`,
      first.evaluation.value,
    );
  const polished = await polish(data, config.C, first.theta, gradTol, left);
  return finish(polished.theta, first.iterations + polished.iterations, polished.converged, polished.message);

  async function finish(
    theta: Float64Array,
    iterations: number,
    converged: boolean,
    message: string,
    known?: number,
  ): Promise<LogregFit> {
    const backendObjective = known ?? (await evaluateOnDevice(tf, dev, config.C, theta)).value;
    return {
      weights: theta.slice(0, cols),
      bias: theta[cols],
      backendObjective,
      iterations,
      converged,
      message,
    };
  }
}

export async function fit(tf: Tf, data: Dataset, config: LogregConfig): Promise<LogregFit> {
  const dev = uploadData(tf, data);
  try {
    return await fitOnDevice(tf, dev, data, config);
  } finally {
    dev.dispose();
  }
}

/** A fitted model's parameters on the device, uploaded once and reused by every prediction. */
export interface DeviceModel {
  readonly w: Tensor2D;
  readonly bias: number;
  dispose(): void;
}

export function uploadModel(tf: Tf, weights: Float64Array, bias: number): DeviceModel {
  const w = tf.tensor2d(Float32Array.from(weights), [weights.length, 1]);
  return { w, bias, dispose: () => w.dispose() };
}

/** Decision values f = X w + b on the backend, read back. */
export async function decisionFunction(tf: Tf, x: Tensor2D, model: DeviceModel): Promise<Float32Array> {
  const f = tf.tidy(() => tf.add(tf.matMul(x, model.w), model.bias));
  const out = (await f.data()) as Float32Array;
  f.dispose();
  return out;
}

/** Mean log-loss on the backend at given parameters (for the predict workload's check). */
export async function meanLogLossOnDevice(
  tf: Tf,
  dev: DeviceData,
  weights: Float64Array,
  bias: number,
): Promise<number> {
  const theta = new Float64Array(weights.length + 1);
  theta.set(weights);
  theta[weights.length] = bias;
  const e = await evaluateOnDevice(tf, dev, Infinity, theta);
  return e.value / dev.t.shape[1];
}
