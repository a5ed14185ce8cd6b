// The minimum detectable effect: on samples of known spread it lands where a power calculation puts
// it, never below the gate's minimum effect, and a slowdown of that size injected into fresh samples
// is caught by the gate about as often as predicted (power 0.8).
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { detectability } from '../../src/stats/detectable.js';
import { mannWhitney } from '../../src/stats/mann-whitney.js';
import { Rng } from '../../src/seeds.js';

function samples(rng: Rng, n: number, sd: number): number[] {
  return Array.from({ length: n }, () => 100 * (1 + sd * rng.normal()));
}

describe('detectability', () => {
  const threshold = 0.01 / 20;

  it('matches the normal-theory detectable shift, and never goes below the minimum effect', () => {
    const b = samples(new Rng(1), 200, 0.05);
    // (z_{1 - 0.0005} + z_0.8) * sd * sqrt(2 / n) = (3.29 + 0.84) * 5% * 0.1 = 2.1% for a mean shift;
    // the U test on normal data is about 95% as efficient, and the gate also asks the first quartile to move.
    const free = detectability('row', b, 200, threshold, 0).mde!;
    assert.ok(free > 0.015 && free < 0.035, `mde ${free}`);
    const gated = detectability('row', b, 200, threshold, 0.05).mde!;
    assert.ok(gated > 0.05 && gated < 0.07, `mde ${gated}`);
  });

  it('grows with the spread and shrinks with more samples; says how many samples would see 5%', () => {
    const rng = new Rng(2);
    const noisy = detectability('row', samples(rng, 30, 0.2), 30, threshold, 0);
    const quiet = detectability('row', samples(rng, 30, 0.02), 30, threshold, 0);
    assert.ok(noisy.mde! > quiet.mde!, `${noisy.mde} vs ${quiet.mde}`);
    assert.ok(noisy.samplesFor5Pct === undefined || noisy.samplesFor5Pct > 30);
    assert.equal(quiet.samplesFor5Pct, 30);
  });

  it('predicts the detection rate: a slowdown of the predicted size is caught in about 80% of fresh pairs', () => {
    const rng = new Rng(3);
    const mde = detectability('row', samples(rng, 60, 0.1), 60, threshold, 0).mde!;
    let caught = 0;
    const pairs = 60;
    for (let k = 0; k < pairs; k++) {
      const b = samples(rng, 60, 0.1);
      const c = samples(rng, 60, 0.1).map((v) => v * (1 + mde));
      if (mannWhitney(b, c).pGreater <= threshold) caught++;
    }
    // Binomial(60, 0.8): 95% of outcomes within 42..54; the lower quartile condition only makes it rarer.
    assert.ok(caught >= 36 && caught <= 58, `caught ${caught} of ${pairs} at the predicted ${mde}`);
  });

  it('with repeated runs, models the run-to-run spread: predicted and caught agree, and more runs (not samples) reach 5%', () => {
    const rng = new Rng(4);
    // Each run (process) has its own level (log sd 0.057) on top of 5% spread within the run; the
    // baseline's two runs sit at -0.04 and +0.04, which is that sd exactly.
    const runSd = 0.04 * Math.SQRT2;
    const run = (n: number, lift = 0, level = runSd * rng.normal()) => {
      const scale = Math.exp(level + lift);
      return Array.from({ length: n }, () => 100 * scale * (1 + 0.05 * rng.normal()));
    };
    const baselineRuns = [run(100, 0, -0.04), run(100, 0, 0.04)];
    const d = detectability('row', baselineRuns.flat(), 200, threshold, 0.05, { baselineRuns, candidateCounts: [100, 100] });
    const single = detectability('row', baselineRuns.flat(), 200, threshold, 0.05);
    assert.ok(d.mde! > single.mde!, `run-level spread must cost detectability: ${d.mde} vs ${single.mde}`);
    assert.ok(d.runsFor5Pct === undefined || d.runsFor5Pct > 2, `runs for 5%: ${d.runsFor5Pct}`);
    assert.equal(single.runsFor5Pct, undefined);
    // Fresh pairs of two runs per side, judged as the gate judges (U test, both shifts above 5%, every
    // candidate run slower than every baseline run and by more than 5% on its own), at the predicted slowdown.
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    let caught = 0;
    const pairs = 60;
    for (let k = 0; k < pairs; k++) {
      const b = [run(100), run(100)];
      const c = [run(100, Math.log1p(d.mde!)), run(100, Math.log1p(d.mde!))];
      const consistent = Math.min(...c.map(median)) > Math.max(...b.map(median)) && Math.min(...c.map(median)) / median(b.flat()) - 1 > 0.05;
      const shift = median(c.flat()) / median(b.flat()) - 1;
      if (consistent && shift > 0.05 && mannWhitney(b.flat(), c.flat()).pGreater <= threshold) caught++;
    }
    // The run spread is estimated from two runs, so the prediction is rougher than with one: 0.8 +- 0.2.
    assert.ok(caught >= 36 && caught <= 60, `caught ${caught} of ${pairs} at the predicted ${d.mde}`);
  });
});
