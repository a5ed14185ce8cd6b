// asv's step detection (ported in asv-step-detect.ts) against src/history/steps.ts on the same seeded
// series as steps.test.ts. The port is checked first on asv's own test cases (asv's
// test/test_step_detect.py). asv's is about 10x slower here (about 50 ms a 500-point series), hence
// the slow tier. The figures printed are the ones docs/history.md quotes.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { detectSteps } from '../../src/history/steps.js';
import { Rng } from '../../src/seeds.js';
import { asvDetectSteps, asvSteps } from './asv-step-detect.js';
import { NO_STEP, PLANTED, plantedSeries, score, type Score } from './synthetic-series.js';

const SERIES = 400;

function line(name: string, s: Score, ms: number): string {
  const pct = (x: number) => `${((100 * x) / s.planted).toFixed(1)}%`;
  const planted = s.planted > 0 ? `found within one ${s.found}/${s.planted} (${pct(s.found)}), exactly ${pct(s.exact)}, ` : '';
  return `${name}: ${planted}false steps ${s.falseSteps} in ${s.points} points (${((1000 * s.falseSteps) / s.points).toFixed(3)} per 1000), ` +
    `${ms.toFixed(1)} ms per series`;
}

describe("asv's detect_steps as the reference", () => {
  it("the port gives asv's answers on asv's own test cases", () => {
    const cosine = Array.from({ length: 1000 }, (_, j) => 0.2 * Math.cos(j / 100) + (j >= 500 ? 1 : 0));
    assert.deepEqual(asvDetectSteps(cosine).map((s) => s.right), [500, 1000]);
    assert.deepEqual(asvDetectSteps(new Array(1000).fill(1)).map((s) => s.right), [1000]);
    const rng = new Rng(5);
    const steps = [[10, 0.4], [30, 0.9], [200, -0.2], [600, 0.2], [2500, 1.1], [2990, -0.5]] as const;
    const y = Array.from({ length: 3000 }, (_, t) => steps.reduce((v, [at, h]) => v + (t >= at ? h : 0), 0) + 0.05 * rng.normal());
    assert.deepEqual(asvDetectSteps(y).map((s) => s.right), [10, 30, 200, 600, 2500, 2990, 3000]);
  });

  it('finds at least as many planted steps within one commit as asv, with no more false steps than the target', () => {
    const figures: string[] = [];
    for (const [label, spec, seed] of [['5% steps at 2% noise', PLANTED, 1000], ['no step, 2% noise', NO_STEP, 5000]] as const) {
      const series = Array.from({ length: SERIES }, (_, i) => plantedSeries(seed + i, spec));
      const t0 = performance.now();
      const ours = score(series, series.map((s) => detectSteps(s.y).steps));
      const t1 = performance.now();
      // asv fits the times themselves, as it does for a benchmark's results.
      const asv = score(series, series.map((s) => asvSteps(s.y.map(Math.exp))));
      const t2 = performance.now();
      figures.push(`${label}, ${SERIES} series of ${spec.n}:`);
      figures.push(`  ${line('modelbench', ours, (t1 - t0) / SERIES)}`, `  ${line('asv', asv, (t2 - t1) / SERIES)}`);
      assert.ok(ours.found >= asv.found, `ours ${ours.found}, asv ${asv.found}`);
      assert.ok((1000 * ours.falseSteps) / ours.points <= 1);
    }
    process.stdout.write(`${figures.join('\n')}\n`);
  });
});
