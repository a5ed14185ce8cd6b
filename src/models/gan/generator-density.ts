// The density of a 1-D generator with 1-D standard normal noise, from its own outputs on a fine grid of
// noise values: between two grid points z_i < z_{i+1} the generator is taken as linear (exact for ReLU
// networks up to the grid), so that segment carries the mass Phi(z_{i+1}) - Phi(z_i) spread evenly over
// [G(z_i), G(z_{i+1})]. Unlike a kernel density estimate of samples it has no sampling noise and no
// bandwidth: flat stretches of G (point masses) and sharp edges of p_g survive.
import { normalCdf } from '../../oracles/normal.js';

export const NOISE_GRID = { lo: -8, hi: 8, points: 16001 } as const;

export function noiseGrid(): number[] {
  const { lo, hi, points } = NOISE_GRID;
  return Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
}

export interface GeneratorDensity {
  /** Mass per bin of equal width over [lo, hi]. */
  binned(lo: number, hi: number, bins: number): Float64Array;
  /** Smallest and largest output on the grid. */
  readonly range: readonly [number, number];
  /** Smallest and largest output for |z| <= 4. */
  readonly core: readonly [number, number];
}

export function generatorDensity(z: readonly number[], x: readonly number[]): GeneratorDensity {
  const segments = z
    .slice(1)
    .map((zi, i) => ({ a: Math.min(x[i], x[i + 1]), b: Math.max(x[i], x[i + 1]), m: normalCdf(zi) - normalCdf(z[i]) }));
  const overlap = (s: { a: number; b: number; m: number }, lo: number, hi: number): number => {
    if (s.b <= s.a) return s.a >= lo && s.a < hi ? s.m : 0;
    const w = Math.min(s.b, hi) - Math.max(s.a, lo);
    return w > 0 ? (s.m * w) / (s.b - s.a) : 0;
  };
  return {
    binned(lo, hi, bins) {
      const out = new Float64Array(bins);
      const width = (hi - lo) / bins;
      for (const s of segments) {
        const first = Math.max(0, Math.floor((s.a - lo) / width));
        const last = Math.min(bins - 1, Math.floor((s.b - lo) / width));
        for (let k = first; k <= last; k++) out[k] += overlap(s, lo + k * width, lo + (k + 1) * width);
      }
      return out;
    },
    range: [Math.min(...x), Math.max(...x)],
    core: [Math.min(...x.filter((_, i) => Math.abs(z[i]) <= 4)), Math.max(...x.filter((_, i) => Math.abs(z[i]) <= 4))],
  };
}
