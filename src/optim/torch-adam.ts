// Adam as PyTorch computes it (torch.optim.Adam, the single-tensor form), per variable:
//   m <- b1 m + (1 - b1) g,   v <- b2 v + (1 - b2) g^2,
//   p <- p - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps),
// with both bias corrections computed in float64 on the host from t. tfjs's Adam divides by
// 1 - acc where acc is b2^t accumulated in a float32 variable: with b2 = 0.999 that is 1.3e-5 too
// small at every step (float32(0.999) is 0.99900001287), a coherent error in every update that GAN
// training amplifies to differences of 0.3 in the parameters by step 50 (the twin trajectories,
// docs/models.md), where float32 rounding alone stays near 1e-5.
import type * as tfc from '@tensorflow/tfjs';
import type { Tf } from '../types.js';

export interface AdamSettings {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export class TorchAdam {
  private readonly m: tfc.Variable[];
  private readonly v: tfc.Variable[];
  private t = 0;

  constructor(
    private readonly tf: Tf,
    private readonly variables: readonly tfc.Variable[],
    private readonly settings: AdamSettings,
  ) {
    // tidy frees the zeros and keeps the variables, which hold their own reference to the data.
    this.m = tf.tidy(() => variables.map((x) => tf.variable(tf.zerosLike(x), false)));
    this.v = tf.tidy(() => variables.map((x) => tf.variable(tf.zerosLike(x), false)));
  }

  /** One step on f over the variables; returns f before the step (a scalar the caller disposes). */
  minimize(f: () => tfc.Scalar): tfc.Scalar {
    const { tf } = this;
    const { value, grads } = tf.variableGrads(f, this.variables as tfc.Variable[]);
    this.t += 1;
    const { learningRate: lr, beta1: b1, beta2: b2, epsilon } = this.settings;
    const stepSize = lr / (1 - b1 ** this.t);
    const correction2 = Math.sqrt(1 - b2 ** this.t);
    tf.tidy(() => {
      this.variables.forEach((p, i) => {
        const g = grads[p.name];
        // The operand order of PyTorch's mul_/add_, addcmul_ and addcdiv_, so that both round alike.
        const m = tf.add(tf.mul(this.m[i], b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(this.v[i], b2), tf.mul(tf.mul(g, 1 - b2), g));
        const denom = tf.add(tf.div(tf.sqrt(v), correction2), epsilon);
        this.m[i].assign(m);
        this.v[i].assign(v);
        p.assign(tf.add(p, tf.div(tf.mul(m, -stepSize), denom)));
      });
    });
    tf.dispose(Object.values(grads));
    return value;
  }

  dispose(): void {
    this.tf.dispose([...this.m, ...this.v]);
  }
}
