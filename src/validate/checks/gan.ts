// Conformance checks of a GAN on 1-D Gaussian data: V recomputed from its own discriminator and
// generator outputs; its discriminator, trained against its fixed generator, approaches
// D* = p_data / (p_data + p_g); generator training lowers the JSD. The generator's density p_g is
// estimated from 20000 of its samples by a Gaussian kernel density estimate.
import { GAUSS1D } from '../../models/gan/data.js';
import { logDensity, valueFromLogits, type Gaussian1d } from '../../models/gan/objective.js';
import { deriveSeed, DEFAULT_BASE_SEED, Rng } from '../../seeds.js';
import type { ImplClient } from '../client.js';
import { matrix, numbers, scalar } from '../protocol.js';
import type { Check, CheckResult } from './types.js';

const SEED = deriveSeed(DEFAULT_BASE_SEED, 'validate-gan');
const DATA: Gaussian1d = GAUSS1D;
const NOISE = 1;
const SAMPLES = 20000;
/** Mean |D - D*| over the data's central region after 1000 discriminator steps (KDE error included). */
const D_STAR_TOLERANCE = 0.08;

function dataRows(n: number, label: string): number[][] {
  const rng = new Rng(deriveSeed(SEED, label));
  return Array.from({ length: n }, () => [DATA.mean + DATA.sd * rng.normal()]);
}

function noiseRows(n: number, label: string): number[][] {
  const rng = new Rng(deriveSeed(SEED, label));
  return Array.from({ length: n }, () => Array.from({ length: NOISE }, () => rng.normal()));
}

async function fitImpl(impl: ImplClient, steps: number): Promise<void> {
  await impl.request({ op: 'fit', model: 'gan', X: dataRows(20000, 'train'), params: { steps, noise: NOISE, batch: 256, seed: 1 } });
}

async function generated(impl: ImplClient, n: number, label: string): Promise<number[]> {
  return matrix(await impl.request({ op: 'generate', model: 'gan', Z: noiseRows(n, label) }), 'X', n, 1).map((r) => r[0]);
}

/** Gaussian KDE with Silverman's bandwidth: a log-density function of the generator's samples. */
export function kde(samples: readonly number[]): (x: number) => number {
  const n = samples.length;
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const h = Math.max(1.06 * sd * n ** -0.2, 1e-6);
  const sorted = [...samples].sort((a, b) => a - b);
  return (x) => {
    // Only samples within 8 bandwidths contribute; binary search the window.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < x - 8 * h) lo = mid + 1;
      else hi = mid;
    }
    let s = 0;
    for (let i = lo; i < n && sorted[i] <= x + 8 * h; i++) s += Math.exp(-0.5 * ((x - sorted[i]) / h) ** 2);
    return Math.log(s / (n * h * Math.sqrt(2 * Math.PI)) + 1e-300);
  };
}

/** JSD(p_data || p_g) with p_g a KDE, by the trapezoid rule over a range holding both. */
function jsdEstimate(samples: number[]): number {
  const logQ = kde(samples);
  const lo = Math.min(DATA.mean - 8 * DATA.sd, ...samples.slice(0, 2000)) - 1;
  const hi = Math.max(DATA.mean + 8 * DATA.sd, ...samples.slice(0, 2000)) + 1;
  const n = 4000;
  const dx = (hi - lo) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const x = lo + i * dx;
    const lp = logDensity(DATA, x);
    const lq = logQ(x);
    const m = Math.max(lp, lq);
    const lm = m + Math.log((Math.exp(lp - m) + Math.exp(lq - m)) / 2);
    const f = 0.5 * (Math.exp(lp) * (lp - lm) + Math.exp(lq) * (lq - lm));
    s += (i === 0 || i === n ? 0.5 : 1) * f;
  }
  return s * dx;
}

export const GAN_CHECKS: readonly Check[] = [
  {
    name: 'gan-value-recomputation',
    model: 'gan',
    description: 'the reported V(D, G) equals mean log D(x) + mean log(1 - D(G(z))) recomputed from its own discriminate and generate outputs',
    async run({ impl }): Promise<CheckResult> {
      await fitImpl(impl, 50);
      const X = dataRows(256, 'value-x');
      const Z = noiseRows(256, 'value-z');
      const reported = scalar(await impl.request({ op: 'value', model: 'gan', X, Z }), 'value');
      const realLogits = numbers(await impl.request({ op: 'discriminate', model: 'gan', X }), 'logits', X.length);
      const fake = matrix(await impl.request({ op: 'generate', model: 'gan', Z }), 'X', Z.length, 1);
      const fakeLogits = numbers(await impl.request({ op: 'discriminate', model: 'gan', X: fake }), 'logits', fake.length);
      const recomputed = valueFromLogits(realLogits, fakeLogits);
      const rel = Math.abs(reported - recomputed) / Math.max(1e-3, Math.abs(recomputed));
      return { passed: rel <= 1e-3, measured: reported, expected: recomputed, tolerance: 1e-3, detail: `V reported ${reported.toFixed(6)}, recomputed ${recomputed.toFixed(6)}` };
    },
  },
  {
    name: 'gan-discriminator-optimal',
    model: 'gan',
    description: `after 300 steps of both, D trained 1000 steps against the now fixed generator approaches D* = p_data / (p_data + p_g) (mean |D - D*| over the data's central region <= ${D_STAR_TOLERANCE}; p_g by KDE of 20000 samples)`,
    async run({ impl }) {
      // 300 steps of both networks first, so that p_g overlaps p_data and D* is not ~1 everywhere.
      await fitImpl(impl, 300);
      const before = await generated(impl, 2000, 'fixed-g');
      await impl.request({ op: 'fit_discriminator', model: 'gan', X: dataRows(20000, 'train-d'), params: { steps: 1000, batch: 512 } });
      const after = await generated(impl, 2000, 'fixed-g');
      const moved = Math.max(...before.map((v, i) => Math.abs(v - after[i])));
      if (moved > 1e-9) return { passed: false, measured: moved, expected: 0, detail: `fit_discriminator changed the generator (samples moved by ${moved.toExponential(2)})` };
      const logQ = kde(await generated(impl, SAMPLES, 'kde'));
      const grid = Array.from({ length: 41 }, (_, i) => DATA.mean - 2 * DATA.sd + (i * 4 * DATA.sd) / 40);
      const logits = numbers(await impl.request({ op: 'discriminate', model: 'gan', X: grid.map((x) => [x]) }), 'logits', grid.length);
      const err = grid.reduce((s, x, i) => {
        const dStar = 1 / (1 + Math.exp(logQ(x) - logDensity(DATA, x)));
        return s + Math.abs(1 / (1 + Math.exp(-logits[i])) - dStar);
      }, 0) / grid.length;
      const spread = grid.reduce((s, x) => s + Math.abs(1 / (1 + Math.exp(logQ(x) - logDensity(DATA, x))) - 0.5), 0) / grid.length;
      return { passed: err <= D_STAR_TOLERANCE, measured: err, expected: 0, tolerance: D_STAR_TOLERANCE, detail: `mean |D - D*| = ${err.toFixed(4)} on [mu - 2 sd, mu + 2 sd] of the data (mean |D* - 1/2| there: ${spread.toFixed(3)})` };
    },
  },
  {
    name: 'gan-generator-lowers-jsd',
    model: 'gan',
    description: 'training both networks for 1000 steps at least halves the JSD between the data and the generator (KDE estimate), as V(D*, G) = -log 4 + 2 JSD says it should fall',
    async run({ impl }) {
      await fitImpl(impl, 0);
      const before = jsdEstimate(await generated(impl, SAMPLES, 'jsd-before'));
      await fitImpl(impl, 1000);
      const after = jsdEstimate(await generated(impl, SAMPLES, 'jsd-after'));
      return { passed: after <= 0.5 * before, measured: after, expected: before, detail: `JSD ${before.toFixed(4)} -> ${after.toFixed(4)} (so V(D*, G) = -log 4 + 2 JSD: ${optimalValueOf(before).toFixed(4)} -> ${optimalValueOf(after).toFixed(4)})` };
    },
  },
];

function optimalValueOf(jsd: number): number {
  return -Math.log(4) + 2 * jsd;
}
