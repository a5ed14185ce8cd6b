// Seeded series with planted steps, and the score of a detector on them: the one place the step
// tests and docs/history.md's figures come from.
import { Rng } from '../../src/seeds.js';

export interface PlantedSeries {
  /** log(time): a level per segment plus Gaussian noise. */
  readonly y: number[];
  /** The first index at each new level. */
  readonly steps: number[];
  readonly signs: number[];
}

export interface SeriesSpec {
  readonly n: number;
  /** Relative step size (0.05: 5%). */
  readonly step: number;
  /** Relative noise, the standard deviation of log(time) (0.02: 2%). */
  readonly noise: number;
  /** At most this many steps per series (each series draws 1 to this many; 0: none). */
  readonly maxSteps: number;
  /** No two steps nearer than this, nor nearer the ends than half of it. */
  readonly minGap: number;
}

export const PLANTED: SeriesSpec = { n: 500, step: 0.05, noise: 0.02, maxSteps: 4, minGap: 40 };
export const NO_STEP: SeriesSpec = { ...PLANTED, maxSteps: 0 };

function stepPositions(rng: Rng, spec: SeriesSpec): number[] {
  const count = spec.maxSteps === 0 ? 0 : 1 + rng.int(spec.maxSteps);
  for (;;) {
    const at = Array.from({ length: count }, () => spec.minGap / 2 + rng.int(spec.n - spec.minGap)).sort((a, b) => a - b);
    if (at.every((p, i) => i === 0 || p - at[i - 1] >= spec.minGap)) return at;
  }
}

export function plantedSeries(seed: number, spec: SeriesSpec): PlantedSeries {
  const rng = new Rng(seed);
  const steps = stepPositions(rng, spec);
  const signs = steps.map(() => (rng.uniform() < 0.5 ? -1 : 1));
  let level = Math.log(10);
  const y: number[] = [];
  for (let i = 0; i < spec.n; i++) {
    const k = steps.indexOf(i);
    if (k >= 0) level += signs[k] * Math.log(1 + spec.step);
    y.push(level + spec.noise * rng.normal());
  }
  return { y, steps, signs };
}

export interface Score {
  readonly planted: number;
  /** Planted steps with a found step of the same direction within one index. */
  readonly found: number;
  readonly exact: number;
  /** Found steps that match no planted step. */
  readonly falseSteps: number;
  readonly points: number;
}

/** Matches each planted step to at most one found step (same sign, within one index). */
export function score(series: readonly PlantedSeries[], found: readonly (readonly { index: number; delta: number }[])[]): Score {
  let planted = 0;
  let hit = 0;
  let exact = 0;
  let falseSteps = 0;
  series.forEach((s, k) => {
    const unused = [...found[k]];
    s.steps.forEach((at, j) => {
      planted++;
      const m = unused.findIndex((f) => Math.abs(f.index - at) <= 1 && Math.sign(f.delta) === s.signs[j]);
      if (m < 0) return;
      hit++;
      if (unused[m].index === at) exact++;
      unused.splice(m, 1);
    });
    falseSteps += unused.length;
  });
  return { planted, found: hit, exact, falseSteps, points: series.reduce((n, s) => n + s.y.length, 0) };
}
