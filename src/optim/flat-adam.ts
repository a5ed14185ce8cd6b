// Adam over all of a network's variables at once, in PyTorch's arithmetic (torch-adam.ts: both bias
// corrections in float64 on the host, the same float32 operations in the same order), with both moments
// kept as two flat vectors. The per-variable Adam costs 13 kernels per variable; this costs one kernel per
// step on the backends that have adam-kernel.ts (cpu, wasm: it walks the variables and gradients where they
// lie and updates in place, nothing copied through the host), and on the others (webgpu) about a dozen
// composite kernels over the concatenated vectors, whatever the number of variables. Either way the
// parameters are those of TorchAdam: bit for bit on cpu and wasm (tests/optim/flat-adam.test.ts).
import type * as tfc from '@tensorflow/tfjs';
import type { Tf } from '../types.js';
import { FLAT_ADAM_KERNEL, hasFlatAdamKernel, registerFlatAdamKernel, type FlatAdamAttrs } from './adam-kernel.js';
import { biasCorrections, torchAdamUpdate, type AdamSettings } from './torch-adam.js';

export type { AdamSettings } from './torch-adam.js';

/** What a training step asks of an optimiser (FlatAdam and TorchAdam alike). */
export interface StepOptimizer {
  /** One step on f over the optimiser's variables; f's value before the step, which the caller disposes. */
  minimize(f: () => tfc.Scalar): tfc.Scalar;
  dispose(): void;
}

export class FlatAdam implements StepOptimizer {
  private readonly m: tfc.Variable;
  private readonly v: tfc.Variable;
  private readonly sizes: number[];
  private t = 0;

  constructor(
    private readonly tf: Tf,
    private readonly variables: readonly tfc.Variable[],
    private readonly settings: AdamSettings,
  ) {
    registerFlatAdamKernel(tf);
    this.sizes = variables.map((x) => x.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    // tidy frees the zeros and keeps the variables; each moment's buffer is its variable's alone, which
    // the kernel's in-place update relies on.
    this.m = tf.tidy(() => tf.variable(tf.zeros([total]), false));
    this.v = tf.tidy(() => tf.variable(tf.zeros([total]), false));
  }

  /** One step on f over the variables; returns f before the step (a scalar the caller disposes). */
  minimize(f: () => tfc.Scalar): tfc.Scalar {
    const { tf } = this;
    const { value, grads } = tf.variableGrads(f, this.variables as tfc.Variable[]);
    this.t += 1;
    const { beta1, beta2, epsilon } = this.settings;
    const attrs: FlatAdamAttrs = {
      count: this.variables.length,
      beta1,
      beta2,
      epsilon,
      ...biasCorrections(this.settings, this.t),
    };
    const ordered = this.variables.map((x) => grads[x.name]);
    tf.tidy(() => (hasFlatAdamKernel(tf) ? this.kernelStep(ordered, attrs) : this.compositeStep(ordered, attrs)));
    tf.dispose(Object.values(grads));
    return value;
  }

  private kernelStep(grads: tfc.Tensor[], attrs: FlatAdamAttrs): void {
    const inputs: Record<string, tfc.Tensor> = { m: this.m, v: this.v };
    this.variables.forEach((x, i) => {
      inputs[`p${i}`] = x;
      inputs[`g${i}`] = grads[i];
    });
    const next = this.tf
      .engine()
      .runKernel(FLAT_ADAM_KERNEL, inputs, attrs as unknown as tfc.NamedAttrMap) as tfc.Tensor[];
    next.forEach((x, i) => this.variables[i].assign(x));
  }

  /** torch-adam.ts's operations over the concatenated vectors, for backends without the kernel. */
  private compositeStep(grads: tfc.Tensor[], a: FlatAdamAttrs): void {
    const { tf } = this;
    const flat = (xs: readonly tfc.Tensor[]) => tf.concat(xs.map((x) => tf.reshape(x, [-1])));
    const next = torchAdamUpdate(tf, flat(this.variables), flat(grads), this.m, this.v, a);
    this.m.assign(next.m);
    this.v.assign(next.v);
    tf.split(next.p, this.sizes).forEach((part, k) =>
      this.variables[k].assign(tf.reshape(part, this.variables[k].shape)),
    );
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
