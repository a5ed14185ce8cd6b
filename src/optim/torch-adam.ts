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

/** The step's bias corrections from its count t, in float64 on the host as PyTorch computes them. */
export function biasCorrections(s: AdamSettings, t: number): { stepSize: number; correction2: number } {
  return { stepSize: s.learningRate / (1 - s.beta1 ** t), correction2: Math.sqrt(1 - s.beta2 ** t) };
}

/** The settings and the step's corrections: what one update needs. */
export type AdamStep = Omit<AdamSettings, 'learningRate'> & ReturnType<typeof biasCorrections>;

/**
 * One update of p from its gradient g and moments m, v, in the operand order of PyTorch's mul_/add_,
 * addcmul_ and addcdiv_ so that both round alike: the new parameter and moments (whole tensors or flat
 * concatenations alike).
 */
export function torchAdamUpdate(
  tf: Tf,
  p: tfc.Tensor,
  g: tfc.Tensor,
  m0: tfc.Tensor,
  v0: tfc.Tensor,
  a: AdamStep,
): { p: tfc.Tensor; m: tfc.Tensor; v: tfc.Tensor } {
  const m = tf.add(tf.mul(m0, a.beta1), tf.mul(g, 1 - a.beta1));
  const v = tf.add(tf.mul(v0, a.beta2), tf.mul(tf.mul(g, 1 - a.beta2), g));
  const denom = tf.add(tf.div(tf.sqrt(v), a.correction2), a.epsilon);
  return { p: tf.add(p, tf.div(tf.mul(m, -a.stepSize), denom)), m, v };
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
    const step = { ...this.settings, ...biasCorrections(this.settings, this.t) };
    tf.tidy(() => {
      this.variables.forEach((p, i) => {
        const next = torchAdamUpdate(tf, p, grads[p.name], this.m[i], this.v[i], step);
        this.m[i].assign(next.m);
        this.v[i].assign(next.v);
        p.assign(next.p);
      });
    });
    tf.dispose(Object.values(grads));
    return value;
  }

  dispose(): void {
    this.tf.dispose([...this.m, ...this.v]);
  }
}
