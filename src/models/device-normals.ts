// Standard-normal noise drawn on the device from a seeded generator, so that a training step uploads
// no noise: on a GPU the upload, not the arithmetic, is what a small step pays for.
// The generator is Wichmann and Hill's (Applied Statistics AS 183, 1982): three multiplicative
// congruential generators whose fractions are summed mod 1, one stream per element. Its state is kept
// as float32 integers, which every tfjs backend holds exactly: every product is below 2^23. The
// remainder is taken twice, because a GPU's division may be off by an ulp, which a single
// floor(r / M) could turn into a remainder off by the modulus; the second pass sees a value within one
// modulus of its result and is exact. So the same seed gives the same integer states on every backend
// (the host reference in tests checks it), and normals agree to float32 rounding of log and cos.
// Uniforms become normals by Box-Muller. Noise is drawn for `blockSteps` draws at once and handed out
// by slices: a step pays one slice, and a refill (about twenty kernels) every `blockSteps` steps.
import type * as tfc from '@tensorflow/tfjs';
import { Rng } from '../seeds.js';
import type { Tf } from '../types.js';

/** The three generators' multipliers and moduli (Wichmann and Hill, 1982). */
export const WICHMANN_HILL = [
  { a: 171, m: 30269 },
  { a: 172, m: 30307 },
  { a: 170, m: 30323 },
] as const;

/** Starting states for `count` streams: 3 x count integers, generator k's in [1, m_k - 1], row-major. */
export function initialStates(seed: number, count: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(3 * count);
  WICHMANN_HILL.forEach(({ m }, k) => {
    for (let i = 0; i < count; i++) out[k * count + i] = 1 + rng.int(m - 1);
  });
  return out;
}

export class DeviceNormals {
  private state: tfc.Tensor2D;
  private readonly multipliers: tfc.Tensor2D;
  private readonly moduli: tfc.Tensor2D;
  private block: tfc.Tensor2D | undefined;
  private nextIndex: number;
  private readonly rows: number;
  private readonly cols: number;

  /** Draws of shape [rows, cols], `blockSteps` of them per refill, from the seed's streams. */
  constructor(
    private readonly tf: Tf,
    seed: number,
    shape: readonly [number, number],
    private readonly blockSteps = 16,
  ) {
    [this.rows, this.cols] = shape;
    // Two uniforms per normal (Box-Muller), for every element of every draw in a block.
    const streams = 2 * blockSteps * this.rows * this.cols;
    this.state = tf.tensor2d(initialStates(seed, streams), [3, streams]);
    this.multipliers = tf.tensor2d(
      WICHMANN_HILL.map((g) => g.a),
      [3, 1],
    );
    this.moduli = tf.tensor2d(
      WICHMANN_HILL.map((g) => g.m),
      [3, 1],
    );
    this.nextIndex = blockSteps;
  }

  /** The integer states now (3 x streams), for the tests' host reference. */
  async states(): Promise<Float32Array> {
    return (await this.state.data()) as Float32Array;
  }

  /** Advances every stream one step and turns the uniforms into a block of normals. */
  private refill(): void {
    const { tf } = this;
    const next = tf.tidy(() => {
      const product = tf.mul(this.state, this.multipliers);
      const once = tf.sub(product, tf.mul(this.moduli, tf.floor(tf.div(product, this.moduli))));
      return tf.sub(once, tf.mul(this.moduli, tf.floor(tf.div(once, this.moduli)))) as tfc.Tensor2D;
    });
    this.state.dispose();
    this.state = next;
    this.block?.dispose();
    this.block = tf.tidy(() => {
      const sum = tf.sum(tf.div(this.state, this.moduli), 0);
      // Fractions in [0, 1); the smallest float32 step keeps log() finite.
      const u = tf.maximum(tf.sub(sum, tf.floor(sum)), 2 ** -24);
      const half = this.blockSteps * this.rows * this.cols;
      const [u1, u2] = tf.split(u, [half, half]);
      const z = tf.mul(tf.sqrt(tf.mul(-2, tf.log(u1))), tf.cos(tf.mul(2 * Math.PI, u2)));
      return tf.reshape(z, [this.blockSteps * this.rows, this.cols]) as tfc.Tensor2D;
    });
    this.nextIndex = 0;
  }

  /** The next [rows, cols] draw; the caller disposes it. */
  next(): tfc.Tensor2D {
    if (this.nextIndex === this.blockSteps) this.refill();
    const draw = this.tf.slice(this.block!, [this.nextIndex * this.rows, 0], [this.rows, this.cols]) as tfc.Tensor2D;
    this.nextIndex++;
    return draw;
  }

  dispose(): void {
    this.tf.dispose([this.state, this.multipliers, this.moduli]);
    this.block?.dispose();
  }
}
