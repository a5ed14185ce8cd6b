// A warm start for the linear SVM's dual from a Huber-smoothed hinge primal, with the smoothing
// shrunk in stages: Newton's method (smoothed-newton.ts) where d is small enough to factor its
// Hessian, else L-BFGS on the backend. The smoothed problem's dual variables
// alpha_i = C min(max(1 - t_i f_i, 0), mu) / mu lie in [0, C], satisfy sum alpha t = 0 at its optimum
// (the intercept's gradient), and are close to the hinge problem's: the decomposition solver then
// only polishes, instead of discovering thousands of bounded support vectors a block at a time.
import { uploadData, type DeviceData } from '../../data/device.js';
import { lbfgs, LBFGS_DEFAULTS } from '../../optim/lbfgs.js';
import type { Dataset, Tf } from '../../types.js';
import { balancedDual, hostDecisions, smoothedNewton, type NewtonStart } from './smoothed-newton.js';

/**
 * Widest data the Newton start takes: its (d+1)-square system is factored in float64 on the host
 * every step (d^3 / 3 operations); wider data get the L-BFGS start.
 */
export const NEWTON_MAX_COLS = 512;

export interface WarmStart {
  readonly alpha: Float64Array;
  /** Newton's start, with its float64 certificate: the fit is done when its gap meets the target. */
  readonly newton?: NewtonStart;
}

/**
 * The linear SVM's warm start: Newton on the smoothed primal down to `targetGap` (the dual point
 * it returns is then often the answer), or for wide data L-BFGS on a few smoothing widths.
 */
export async function linearWarmStart(
  tf: Tf,
  data: Dataset,
  t: Float64Array,
  C: number,
  targetGap: number,
  progress?: (label: string) => void,
): Promise<WarmStart> {
  if (data.cols <= NEWTON_MAX_COLS) {
    const newton = await smoothedNewton(tf, data, t, C, targetGap, progress);
    return { alpha: newton.alpha, newton };
  }
  return { alpha: await smoothedLbfgsStart(tf, data, t, C) };
}

/** Smoothing widths, widest first: each stage starts from the previous one's optimum. */
const MU_SCHEDULE = [1, 0.1, 0.01];
/** Each stage stops at ||grad||_inf <= this * C * m: a start need not be exact. */
const STAGE_TOLERANCE = 1e-4;

async function evaluate(tf: Tf, dev: DeviceData, C: number, mu: number, theta: Float64Array) {
  const cols = theta.length - 1;
  const [lossT, gwT, gbT] = tf.tidy(() => {
    const w = tf.tensor2d(Float32Array.from(theta.subarray(0, cols)), [1, cols]);
    const f = tf.add(tf.matMul(w, dev.xt), theta[cols]);
    const u = tf.relu(tf.sub(1, tf.mul(dev.t, f)));
    const capped = tf.minimum(u, mu);
    // h(u) = min(u, mu)^2 / (2 mu) + relu(u - mu);  dh/df = -t min(u, mu) / mu
    const loss = tf.sum(tf.add(tf.div(tf.square(capped), 2 * mu), tf.relu(tf.sub(u, mu))));
    const r = tf.mul(tf.mul(dev.t, capped), -C / mu);
    return [loss, tf.matMul(r, dev.x), tf.sum(r)];
  });
  const [loss, gw, gb] = await Promise.all([lossT.data(), gwT.data(), gbT.data()]);
  tf.dispose([lossT, gwT, gbT]);
  const gradient = new Float64Array(cols + 1);
  let sq = 0;
  for (let j = 0; j < cols; j++) {
    gradient[j] = gw[j] + theta[j];
    sq += theta[j] * theta[j];
  }
  gradient[cols] = gb[0];
  return { value: 0.5 * sq + C * loss[0], gradient };
}

async function smoothedLbfgsStart(tf: Tf, data: Dataset, t: Float64Array, C: number): Promise<Float64Array> {
  const dev = uploadData(tf, data);
  try {
    let theta: Float64Array = new Float64Array(data.cols + 1);
    let mu = MU_SCHEDULE[0];
    for (mu of MU_SCHEDULE) {
      const stage = mu;
      const r = await lbfgs((th) => evaluate(tf, dev, C, stage, th), theta, {
        ...LBFGS_DEFAULTS,
        maxIterations: 200,
        gradientTolerance: STAGE_TOLERANCE * C * data.rows,
      });
      theta = r.theta;
    }
    return dualFromPrimal(data, t, C, mu, theta);
  } finally {
    dev.dispose();
  }
}

/** alpha_i = C min(u_i, mu) / mu in float64, made exactly feasible (sum alpha t = 0). */
function dualFromPrimal(data: Dataset, t: Float64Array, C: number, mu: number, theta: Float64Array): Float64Array {
  return balancedDual(
    hostDecisions(data, theta).map((f, i) => 1 - t[i] * f),
    t,
    C,
    mu,
  );
}
