// Seeded randomness. Every draw in modelbench comes from here, so a result can be replayed from the
// seeds written into its row; the platform's unseeded generator is never used.

/** One seed per dimension of randomness, written into every result. */
export interface Seeds {
  readonly data: number;
  readonly init: number;
  readonly sampling: number;
  readonly property: number;
}

export const DEFAULT_BASE_SEED = 20261128;

/** FNV-1a over the label, mixed with the base: different labels give independent streams. */
export function deriveSeed(base: number, label: string): number {
  let h = 0x811c9dc5 ^ (base >>> 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h) >>> 0;
}

export function seedsFrom(base: number): Seeds {
  return {
    data: deriveSeed(base, 'data'),
    init: deriveSeed(base, 'init'),
    sampling: deriveSeed(base, 'sampling'),
    property: deriveSeed(base, 'property'),
  };
}

function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x;
}

/** A small, fast generator (mulberry32) with uniform and normal draws. */
export class Rng {
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal by Box-Muller; the second value of each pair is kept for the next call. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

/** rows x cols standard-normal draws from `rng`, row-major, as float32 (noise for the generative models). */
export function standardNormals(rng: Rng, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}
