// Conformance checks of a GAN on 1-D Gaussian data, for each generator loss the protocol offers: V
// recomputed from its own discriminator and generator outputs, also far from the data; its
// discriminator, trained against its fixed generator, approaches D* = p_data / (p_data + p_g); generator
// training lowers the JSD. p_g is the generator's exact density from its outputs on a fine noise grid
// (generator-density.ts), not an estimate from samples.
import { GAUSS1D } from './data.js';
import { valueFromLogits, type Gaussian1d } from './objective.js';
import { softplus } from '../../oracles/stable.js';
import { normalCdf } from '../../oracles/normal.js';
import { deriveSeed, DEFAULT_BASE_SEED, Rng } from '../../seeds.js';
import type { ImplSession } from '../../protocol/workload-types.js';
import { matrix, numbers, scalar } from '../../protocol/messages.js';
import { ImplementationError } from '../../errors.js';
import { generatorDensity, noiseGrid, type GeneratorDensity } from './generator-density.js';
import type { Check, CheckResult } from '../check.js';

const DATA: Gaussian1d = GAUSS1D;
const NOISE = 1;
/**
 * V(D*, G) - V(D, G) in nats over the contested region after D_STEPS discriminator steps (docs/protocol.md: margins).
 */
const D_STAR_TOLERANCE = 0.15;
const CONTESTED = [0.1, 0.9] as const;
const D_STEPS = 3000;
/** Steps of both networks before the JSD is measured again, and the largest ratio of the JSD after to before
 *  (a generator that does not train, or climbs V, stays at ~1; correct ones reached 0.04 to 0.4 over ten seeds). */
const JSD_STEPS = 2000;
const JSD_RATIO = 0.8;
const D_STAR_BINS = 2000;
/** Where D is judged: the data's +-6 sd and the generator's outputs for |z| <= 4 (all but 6e-5 of its mass). */
function judgedRange(g: GeneratorDensity): { lo: number; hi: number } {
  return { lo: Math.min(DATA.mean - 6 * DATA.sd, g.core[0]), hi: Math.max(DATA.mean + 6 * DATA.sd, g.core[1]) };
}
/**
 * Far from the data: real inputs up to 10^4 sd from the mean, noise 10^4 times its scale (logits of hundreds, where
 * sigma rounds to 0 or 1 even in float64).
 */
const EXTREME_SCALE = 1e4;

type GeneratorLoss = 'nonsaturating' | 'minimax';

function rows(seed: number, label: string, n: number, f: (rng: Rng) => number): number[][] {
  const rng = new Rng(deriveSeed(DEFAULT_BASE_SEED, `validate-gan-${seed}-${label}`));
  return Array.from({ length: n }, () => [f(rng)]);
}
const dataRows = (seed: number, label: string, n: number) =>
  rows(seed, label, n, (r) => DATA.mean + DATA.sd * r.normal());
const noiseRows = (seed: number, label: string, n: number) => rows(seed, label, n, (r) => r.normal());

async function fitImpl(
  impl: ImplSession,
  seed: number,
  steps: number,
  loss: GeneratorLoss = 'nonsaturating',
): Promise<void> {
  await impl.request({
    op: 'fit',
    model: 'gan',
    X: dataRows(seed, 'train', 20000),
    params: { steps, noise: NOISE, batch: 256, loss, seed },
  });
}

async function generated(impl: ImplSession, Z: number[][]): Promise<number[]> {
  return matrix(await impl.request({ op: 'generate', model: 'gan', Z }), 'X', Z.length, 1).map((r) => r[0]);
}

/** The generator's exact density, from its outputs on the noise grid. */
async function densityOf(impl: ImplSession): Promise<GeneratorDensity> {
  const z = noiseGrid();
  return generatorDensity(
    z,
    await generated(
      impl,
      z.map((v) => [v]),
    ),
  );
}

/** JSD(p_data || p_g) on 8000 bins over a range holding both (exact bin masses of each). */
function jsd(g: GeneratorDensity): number {
  const lo = Math.min(DATA.mean - 8 * DATA.sd, g.range[0]) - 1e-6;
  const hi = Math.max(DATA.mean + 8 * DATA.sd, g.range[1]) + 1e-6;
  const bins = 8000;
  const q = g.binned(lo, hi, bins);
  const width = (hi - lo) / bins;
  const cdf = (x: number) => normalCdf((x - DATA.mean) / DATA.sd);
  let s = 0;
  for (let k = 0; k < bins; k++) {
    const p = cdf(lo + (k + 1) * width) - cdf(lo + k * width);
    const m = (p + q[k]) / 2;
    if (p > 0) s += 0.5 * p * Math.log(p / m);
    if (q[k] > 0) s += 0.5 * q[k] * Math.log(q[k] / m);
  }
  return s;
}

/** Independent training runs per JSD check (seeds 3 seed, 3 seed + 1, 3 seed + 2: disjoint across property
 *  seeds): the check judges their median
 *  ratio, as one GAN run's JSD after a fixed number of steps swings with where its oscillation is. */
const JSD_RUNS = 3;

function jsdCheck(loss: GeneratorLoss): Check {
  return {
    name: loss === 'nonsaturating' ? 'gan-generator-lowers-jsd' : `gan-generator-lowers-jsd-${loss}`,
    model: 'gan',
    description:
      `${loss} generator loss: training both networks for ${JSD_STEPS} steps ` +
      `lowers the JSD between the data and the generator to at most ` +
      `${JSD_RATIO} of its value at the start, the median over ${JSD_RUNS}` +
      ` independent runs (p_g exact from its outputs on a noise grid), as ` +
      `V(D*, G) = -log 4 + 2 JSD says it should fall`,
    async run({ impl, seed }) {
      const runs: { before: number; after: number }[] = [];
      for (let k = 0; k < JSD_RUNS; k++) {
        const run = JSD_RUNS * seed + k;
        await fitImpl(impl, run, 0, loss);
        const before = jsd(await densityOf(impl));
        await fitImpl(impl, run, JSD_STEPS, loss);
        runs.push({ before, after: jsd(await densityOf(impl)) });
      }
      const ratios = runs.map((r) => r.after / r.before).sort((a, b) => a - b);
      const ratio = ratios[Math.floor(JSD_RUNS / 2)];
      return {
        passed: ratio <= JSD_RATIO,
        measured: ratio,
        expected: 0,
        tolerance: JSD_RATIO,
        detail:
          `median JSD ratio ${ratio.toFixed(3)} over ${JSD_RUNS} runs (` +
          `${runs.map((r) => `${r.before.toFixed(3)} -> ${r.after.toFixed(3)}`).join(', ')}` +
          `); V(D*, G) = -log 4 + 2 JSD`,
      };
    },
  };
}

export const GAN_CHECKS: readonly Check[] = [
  {
    name: 'gan-value-recomputation',
    model: 'gan',
    description:
      'the reported V(D, G) equals mean log D(x) + mean log(1 - D(G(z))) ' +
      'recomputed from its own discriminate and generate outputs',
    async run({ impl, seed }): Promise<CheckResult> {
      await fitImpl(impl, seed, 50);
      const X = dataRows(seed, 'value-x', 256);
      const Z = noiseRows(seed, 'value-z', 256);
      const reported = scalar(await impl.request({ op: 'value', model: 'gan', X, Z }), 'value');
      const realLogits = numbers(await impl.request({ op: 'discriminate', model: 'gan', X }), 'logits', X.length);
      const fake = matrix(await impl.request({ op: 'generate', model: 'gan', Z }), 'X', Z.length, 1);
      const fakeLogits = numbers(
        await impl.request({ op: 'discriminate', model: 'gan', X: fake }),
        'logits',
        fake.length,
      );
      const recomputed = valueFromLogits(realLogits, fakeLogits);
      const rel = Math.abs(reported - recomputed) / Math.max(1e-3, Math.abs(recomputed));
      return {
        passed: rel <= 1e-3,
        measured: rel,
        expected: 0,
        tolerance: 1e-3,
        detail: `V reported ${reported.toFixed(6)}, recomputed ${recomputed.toFixed(6)}`,
      };
    },
  },
  {
    name: 'gan-extreme-inputs',
    model: 'gan',
    description:
      `far from the data (real inputs up to ${EXTREME_SCALE} sd from its ` +
      `mean, noise ${EXTREME_SCALE} times its scale; of these, the real ` +
      `inputs D finds least real and the noise whose samples D finds most ` +
      `real, so log D(x) and log(1 - D(G(z))) are both extreme): logits, ` +
      `samples and V are finite and V equals its float64 recomputation`,
    async run({ impl, seed }): Promise<CheckResult> {
      await fitImpl(impl, seed, 50);
      const candidatesX = Array.from({ length: 256 }, (_, i) => [
        DATA.mean + DATA.sd * EXTREME_SCALE * (-1 + (2 * i) / 255),
      ]);
      const candidatesZ = noiseRows(seed, 'extreme-z', 256).map(([z]) => [z * EXTREME_SCALE]);
      try {
        const logitsX = numbers(
          await impl.request({ op: 'discriminate', model: 'gan', X: candidatesX }),
          'logits',
          candidatesX.length,
        );
        const fakes = matrix(
          await impl.request({ op: 'generate', model: 'gan', Z: candidatesZ }),
          'X',
          candidatesZ.length,
          1,
        );
        const logitsF = numbers(
          await impl.request({ op: 'discriminate', model: 'gan', X: fakes }),
          'logits',
          fakes.length,
        );
        // The 64 least-real real inputs and the 64 most-real fakes: where a naive log(sigma) underflows.
        const pickX = [...logitsX.keys()].sort((a, b) => logitsX[a] - logitsX[b]).slice(0, 64);
        const pickZ = [...logitsF.keys()].sort((a, b) => logitsF[b] - logitsF[a]).slice(0, 64);
        const reported = scalar(
          await impl.request({
            op: 'value',
            model: 'gan',
            X: pickX.map((i) => candidatesX[i]),
            Z: pickZ.map((i) => candidatesZ[i]),
          }),
          'value',
        );
        const recomputed = valueFromLogits(
          pickX.map((i) => logitsX[i]),
          pickZ.map((i) => logitsF[i]),
        );
        const rel = Math.abs(reported - recomputed) / Math.max(1e-3, Math.abs(recomputed));
        return {
          passed: rel <= 1e-3,
          measured: rel,
          expected: 0,
          tolerance: 1e-3,
          detail:
            `all finite (real logits down to ${Math.min(...logitsX).toPrecision(3)}` +
            `, fake logits up to ${Math.max(...logitsF).toPrecision(3)}); V ` +
            `reported ${reported.toPrecision(8)}, recomputed ` +
            `${recomputed.toPrecision(8)}`,
        };
      } catch (e) {
        // A non-finite answer (JSON null for inf or NaN) is this check's failure, not an unusable implementation.
        if (e instanceof ImplementationError)
          return { passed: false, detail: `not finite far from the data: ${e.message}` };
        throw e;
      }
    },
  },
  {
    name: 'gan-discriminator-optimal',
    model: 'gan',
    description:
      `after 300 steps of both, D trained ${D_STEPS} steps against the now ` +
      `fixed generator approaches D* = p_data / (p_data + p_g) where both ` +
      `densities are present (0.1 <= D* <= 0.9): its shortfall there, V(D*, ` +
      `G) - V(D, G) = integral of (p_data + p_g) KL(D* || D), is at most ` +
      `${D_STAR_TOLERANCE} nats (p_g exact from the generator's outputs on a ` +
      `noise grid)`,
    async run({ impl, seed }) {
      // 300 steps of both networks first, so that p_g overlaps p_data and D* is not ~1 everywhere.
      await fitImpl(impl, seed, 300);
      const probe = noiseRows(seed, 'fixed-g', 2000);
      const before = await generated(impl, probe);
      await impl.request({
        op: 'fit_discriminator',
        model: 'gan',
        X: dataRows(seed, 'train-d', 20000),
        params: { steps: D_STEPS, batch: 512, seed },
      });
      const after = await generated(impl, probe);
      const moved = Math.max(...before.map((v, i) => Math.abs(v - after[i])));
      if (moved > 1e-9)
        return {
          passed: false,
          measured: moved,
          expected: 0,
          detail: `fit_discriminator changed the generator (samples moved by ${moved.toExponential(2)})`,
        };
      const g = await densityOf(impl);
      const { lo, hi } = judgedRange(g);
      const bins = D_STAR_BINS;
      const width = (hi - lo) / bins;
      const q = g.binned(lo, hi, bins);
      const cdf = (x: number) => normalCdf((x - DATA.mean) / DATA.sd);
      const p = Float64Array.from({ length: bins }, (_, k) => cdf(lo + (k + 1) * width) - cdf(lo + k * width));
      const centres = Array.from({ length: bins }, (_, k) => [lo + (k + 0.5) * width]);
      const logits = numbers(await impl.request({ op: 'discriminate', model: 'gan', X: centres }), 'logits', bins);
      // Only where both densities are present (D* in [0.1, 0.9]): where one is absent D* is 0 or 1,
      // an infinite logit that D only approaches as its training goes on, correct or not.
      let shortfall = 0;
      let contested = 0;
      let gapAbs = 0;
      for (let k = 0; k < bins; k++) {
        const dStar = p[k] / (p[k] + q[k]);
        if (!(dStar >= CONTESTED[0] && dStar <= CONTESTED[1])) continue;
        // log D = -softplus(-l), log(1 - D) = -softplus(l): stable for any logit.
        shortfall +=
          p[k] * (Math.log(dStar) + softplus(-logits[k])) + q[k] * (Math.log(1 - dStar) + softplus(logits[k]));
        contested += p[k] + q[k];
        gapAbs += (p[k] + q[k]) * Math.abs(1 / (1 + Math.exp(-logits[k])) - dStar);
      }
      if (contested < 0.2)
        return {
          passed: false,
          measured: contested,
          detail:
            `after 300 steps the generator and the data barely overlap (mass ` +
            `${contested.toFixed(3)} of 2 where 0.1 <= D* <= 0.9): nothing to ` +
            `judge D on`,
        };
      return {
        passed: shortfall <= D_STAR_TOLERANCE,
        measured: shortfall,
        expected: 0,
        tolerance: D_STAR_TOLERANCE,
        detail:
          `V(D*, G) - V(D, G) = ${shortfall.toFixed(4)} nats where 0.1 <= D* <= ` +
          `0.9 (mass ${contested.toFixed(3)} of p_data + p_g; mean |D - D*| ` +
          `there ${(gapAbs / contested).toFixed(4)})`,
      };
    },
  },
  jsdCheck('nonsaturating'),
  jsdCheck('minimax'),
];
