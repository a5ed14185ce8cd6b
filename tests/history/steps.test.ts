// The step detector on seeded synthetic series (tests/history/synthetic-series.ts): 500 points of
// log time at 2% noise with 5% steps planted, and series with none. The figures docs/history.md
// quotes are these; asv's detector on the same series is the slow tier's (asv-compare.slow.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { detectSteps, robustNoise } from '../../src/history/steps.js';
import { NO_STEP, PLANTED, plantedSeries, score } from './synthetic-series.js';

/** Enough series for about a thousand planted steps: a 95% rate is then known to about +-0.7%. */
const SERIES = 400;
const stepSeries = Array.from({ length: SERIES }, (_, i) => plantedSeries(1000 + i, PLANTED));
const flatSeries = Array.from({ length: SERIES }, (_, i) => plantedSeries(5000 + i, NO_STEP));

describe('detectSteps', () => {
  it('finds at least 95% of planted 5% steps within one commit, at 2% noise', () => {
    const s = score(stepSeries, stepSeries.map((x) => detectSteps(x.y).steps));
    assert.ok(s.planted > 900, `${s.planted} steps planted`);
    assert.ok(s.found / s.planted >= 0.95, `found ${s.found} of ${s.planted} (${((100 * s.found) / s.planted).toFixed(1)}%)`);
    // A step found two or more commits off counts as a miss and a false step.
    assert.ok((1000 * s.falseSteps) / s.points <= 1, `${s.falseSteps} false steps in ${s.points} points`);
  });

  it('finds at most one false step per 1,000 points where there is none', () => {
    const s = score(flatSeries, flatSeries.map((x) => detectSteps(x.y).steps));
    assert.ok((1000 * s.falseSteps) / s.points <= 1, `${s.falseSteps} false steps in ${s.points} points`);
  });

  it('says where, by how much and how sure: the change in log units, its z, and the posterior at and near the commit', () => {
    const { y, steps } = plantedSeries(42, { ...PLANTED, maxSteps: 1 });
    const fit = detectSteps(y);
    assert.equal(fit.steps.length, 1);
    const [s] = fit.steps;
    assert.ok(Math.abs(s.index - steps[0]) <= 1);
    assert.ok(Math.abs(Math.abs(Math.exp(s.delta) - 1) - 0.05) < 0.01, `change ${Math.exp(s.delta) - 1}`);
    assert.ok(s.z > 10 && s.pAt > 0 && s.pNear > 0.5 && s.pNear >= s.pAt && s.pNear <= 1 + 1e-12, JSON.stringify(s));
    assert.ok(Math.abs(fit.noise - 0.02) < 0.004, `noise ${fit.noise}`);
    assert.deepEqual(fit.segments.map((g) => [g.start, g.end]), [[0, s.index], [s.index, y.length]]);
  });

  it('a clear step (20% at 1% noise) is placed at its own commit, not one early, with its posterior there', () => {
    // Planted: every window of +-1 around the step holds all its mass; the one centred on it must win the tie.
    const y = Array.from({ length: 30 }, (_, i) => Math.log(i >= 15 ? 12 : 10) + 0.01 * Math.sin(7 * i));
    const [step] = detectSteps(y).steps;
    assert.equal(step.index, 15);
    assert.ok(step.pAt > 0.99, `pAt ${step.pAt}`);
  });

  it('an exact series (no noise, as a deterministic objective is) steps wherever its value changes', () => {
    const fit = detectSteps([5, 5, 5, 5, 7, 7, 7, 7, 7, 6, 6, 6]);
    assert.equal(fit.noise, 0);
    assert.deepEqual(fit.steps.map((s) => [s.index, s.delta, s.z, s.pNear]), [[4, 2, Infinity, 1], [9, -1, Infinity, 1]]);
    assert.deepEqual(detectSteps([3, 3, 3]).steps, []);
  });

  it('a lone point off its neighbours is an outlier, not two steps; the noise estimate ignores it', () => {
    const { y } = plantedSeries(7, NO_STEP);
    const spiked = y.map((v, i) => (i === 250 ? v + Math.log(2) : v));
    const fit = detectSteps(spiked);
    assert.deepEqual(fit.outliers, [250]);
    assert.deepEqual(fit.steps, []);
    assert.ok(Math.abs(robustNoise(spiked) - robustNoise(y)) < 0.002);
  });

  it('short and empty series, and leaves its input as it was', () => {
    assert.deepEqual(detectSteps([]), { noise: 0, segments: [], steps: [], outliers: [] });
    assert.deepEqual(detectSteps([1]).steps, []);
    const y = [1, 2, 1, 2, 1.5];
    const copy = [...y];
    assert.deepEqual(detectSteps(y), detectSteps(copy));
    assert.deepEqual(y, copy);
  });
});
