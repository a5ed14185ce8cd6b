// Float64 oracle of the GAN objective (DESIGN §3), from the formulas alone: the value V(D, G) from
// discriminator logits, both generator losses, and for 1-D densities the optimal discriminator
// D* = p_data / (p_data + p_g), V(D*, G) and the Jensen-Shannon divergence by quadrature.
import { softplus } from '../../oracles/stable.js';

export const LOG4 = Math.log(4);

function mean(values: ArrayLike<number>, f: (v: number) => number): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += f(values[i]);
  return s / values.length;
}

/** V = E_data[log D(x)] + E_z[log(1 - D(G(z)))], with log D = -softplus(-logit), log(1 - D) = -softplus(logit). */
export function valueFromLogits(realLogits: ArrayLike<number>, fakeLogits: ArrayLike<number>): number {
  return mean(realLogits, (l) => -softplus(-l)) + mean(fakeLogits, (l) => -softplus(l));
}

/** The minimax generator loss E_z[log(1 - D(G(z)))], which G minimises. */
export function minimaxGeneratorLoss(fakeLogits: ArrayLike<number>): number {
  return mean(fakeLogits, (l) => -softplus(l));
}

/** The non-saturating generator loss -E_z[log D(G(z))]. */
export function nonSaturatingGeneratorLoss(fakeLogits: ArrayLike<number>): number {
  return mean(fakeLogits, (l) => softplus(-l));
}

// ---- 1-D densities: everything exact up to quadrature error. ----

export interface Gaussian1d {
  readonly mean: number;
  readonly sd: number;
}

export function logDensity(g: Gaussian1d, x: number): number {
  const u = (x - g.mean) / g.sd;
  return -0.5 * u * u - Math.log(g.sd) - 0.5 * Math.log(2 * Math.PI);
}

function logAddExp(a: number, b: number): number {
  const m = Math.max(a, b);
  return m === -Infinity ? -Infinity : m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** D*(x) = p_data(x) / (p_data(x) + p_g(x)). */
export function optimalDiscriminator(data: Gaussian1d, generator: Gaussian1d, x: number): number {
  const lp = logDensity(data, x);
  return Math.exp(lp - logAddExp(lp, logDensity(generator, x)));
}

/** Composite Simpson's rule over a range that holds both densities to ~1e-30 of their mass. */
function integrate(data: Gaussian1d, generator: Gaussian1d, f: (x: number) => number, points = 20001): number {
  const lo = Math.min(data.mean - 12 * data.sd, generator.mean - 12 * generator.sd);
  const hi = Math.max(data.mean + 12 * data.sd, generator.mean + 12 * generator.sd);
  const n = points % 2 === 0 ? points + 1 : points;
  const h = (hi - lo) / (n - 1);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const w = i === 0 || i === n - 1 ? 1 : i % 2 === 1 ? 4 : 2;
    s += w * f(lo + i * h);
  }
  return (s * h) / 3;
}

/** V(D, G) = int p_data log D + p_g log(1 - D) for a discriminator given as a logit function. */
export function valueByQuadrature(data: Gaussian1d, generator: Gaussian1d, logit: (x: number) => number): number {
  return integrate(data, generator, (x) => {
    const l = logit(x);
    return Math.exp(logDensity(data, x)) * -softplus(-l) + Math.exp(logDensity(generator, x)) * -softplus(l);
  });
}

/** The logit of D*: log p_data - log p_g, exact, so V(D*, G) needs no clipping at the tails. */
export function optimalLogit(data: Gaussian1d, generator: Gaussian1d): (x: number) => number {
  return (x) => logDensity(data, x) - logDensity(generator, x);
}

/** V(D*, G) by quadrature. */
export function optimalValue(data: Gaussian1d, generator: Gaussian1d): number {
  return valueByQuadrature(data, generator, optimalLogit(data, generator));
}

/** JSD(p || q) = 1/2 KL(p || m) + 1/2 KL(q || m), m = (p + q) / 2, by quadrature; in [0, log 2]. */
export function jensenShannon(data: Gaussian1d, generator: Gaussian1d): number {
  return integrate(data, generator, (x) => {
    const lp = logDensity(data, x);
    const lq = logDensity(generator, x);
    const lm = logAddExp(lp, lq) - Math.log(2);
    return 0.5 * (Math.exp(lp) * (lp - lm) + Math.exp(lq) * (lq - lm));
  });
}

// ---- Mode coverage on mixtures of Gaussians (the VEEGAN / PacGAN protocol). ----

export interface ModeReport {
  readonly modesCaptured: number;
  readonly modes: number;
  /** Share of samples within 3 standard deviations of their nearest mode. */
  readonly highQuality: number;
}

/** A sample is high quality when within 3 sd of its nearest mode; a mode is captured when at least
 *  `minPerMode` high-quality samples are nearest to it (PacGAN: 20 of 2500 samples). */
export function modeCoverage(
  samples: ArrayLike<number>,
  dim: number,
  centres: readonly (readonly number[])[],
  sd: number,
  minPerMode = 20,
): ModeReport {
  const n = samples.length / dim;
  const counts = new Array(centres.length).fill(0);
  let good = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < centres.length; c++) {
      let d = 0;
      for (let j = 0; j < dim; j++) d += (samples[i * dim + j] - centres[c][j]) ** 2;
      if (d < bestDist) {
        bestDist = d;
        best = c;
      }
    }
    if (Math.sqrt(bestDist) <= 3 * sd) {
      good++;
      counts[best]++;
    }
  }
  return { modesCaptured: counts.filter((c) => c >= minPerMode).length, modes: centres.length, highQuality: good / n };
}
