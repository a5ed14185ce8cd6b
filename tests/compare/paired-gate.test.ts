// The gate on paired bursts (interleaved runs): the machine's drift, which moves every build alike
// burst by burst, cancels; a real slowdown is caught in every round; a process's own slow spell is
// not a regression; rounds must agree; and the predicted minimum detectable effect is what fresh
// paired comparisons catch about 80% of the time.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { compare, GATE_DEFAULTS } from '../../src/gate/gate.js';
import type { LoadedRun } from '../../src/results/load-runs.js';
import { pairedDetectability } from '../../src/stats/detectable.js';
import { pairedRounds } from '../../src/stats/paired.js';
import { pool } from '../../src/stats/pool.js';
import { makeContext } from '../../src/results/context.js';
import { Rng, seedsFrom } from '../../src/seeds.js';
import { row } from '../helpers/runs.js';

const KEY = 'logreg/predict/rows=100;cols=3/wasm';

/** A side of paired runs: one run per round, the row's bursts (medians) given; samples are the bursts themselves. */
function side(rounds: readonly number[][], role: string, pairedRound = (r: number) => `session round ${r + 1}`): ReturnType<typeof pool> {
  const runs: LoadedRun[] = rounds.map((bursts, r) => ({
    dir: `/tmp/${role}-${r}`,
    context: makeContext('quick', 1, seedsFrom(1), { role, pairedRound: pairedRound(r) }, new Date(Date.UTC(2026, 0, 1))),
    rows: [row({ workload: 'predict', backend: 'wasm', burstMedians: bursts }, bursts)],
  }));
  return pool(runs);
}

/** The machine's speed burst by burst: long spells at 1.0x and 1.6x, shared by every build timed in that burst. */
function drift(rng: Rng, n: number): number[] {
  let level = 1;
  return Array.from({ length: n }, () => {
    if (rng.uniform() < 0.2) level = level === 1 ? 1.6 : 1;
    return level;
  });
}

function pairedSides(rng: Rng, rounds: number, n: number, slowdown: number, noise = 0.03) {
  const base: number[][] = [];
  const cand: number[][] = [];
  for (let r = 0; r < rounds; r++) {
    const machine = drift(rng, n);
    base.push(machine.map((m) => m * Math.exp(noise * rng.normal())));
    cand.push(machine.map((m) => m * (1 + slowdown) * Math.exp(noise * rng.normal())));
  }
  return { base, cand };
}

const speedOf = (b: number[][], c: number[][]) => compare(side(b, 'baseline'), side(c, 'candidate'), GATE_DEFAULTS).speed[0];

describe('the gate on paired bursts', () => {
  it('cancels a drift that moves whole spells by 60%, and catches 10% under it in every round', () => {
    const rng = new Rng(21);
    for (let trial = 0; trial < 10; trial++) {
      const aa = pairedSides(rng, 2, 15, 0);
      const s = speedOf(aa.base, aa.cand);
      assert.notEqual(s.verdict, 'regression', s.detail);
      assert.deepEqual(s.paired, { bursts: 30, rounds: 2 });
      const slow = pairedSides(rng, 2, 15, 0.1);
      const t = speedOf(slow.base, slow.cand);
      assert.equal(t.verdict, 'regression', t.detail);
      assert.match(t.detail, /in every round; paired over 30 bursts in 2 round\(s\)/);
      assert.ok(Math.abs(t.change! - 0.1) < 0.03, `shift ${t.change}`);
    }
  });

  it('pairs only runs of the same rounds: runs of other sessions are judged unpaired', () => {
    const rng = new Rng(22);
    const slow = pairedSides(rng, 2, 15, 0.1);
    const unpaired = compare(side(slow.base, 'baseline', (r) => `a${r}`), side(slow.cand, 'candidate', (r) => `b${r}`), GATE_DEFAULTS).speed[0];
    assert.equal(unpaired.paired, undefined);
    assert.equal(pairedRounds(side(slow.base, 'baseline', (r) => `a${r}`), side(slow.cand, 'candidate', (r) => `b${r}`), KEY), undefined);
  });

  it("a candidate process's own slow spell (half its bursts at 1.5x) is no regression: the first quartiles did not move", () => {
    const rng = new Rng(23);
    const base = [Array.from({ length: 16 }, () => Math.exp(0.02 * rng.normal())), Array.from({ length: 16 }, () => Math.exp(0.02 * rng.normal()))];
    const cand = base.map((r, k) => r.map((_, i) => (k === 0 && i < 9 ? 1.5 : 1) * Math.exp(0.02 * rng.normal())));
    const s = speedOf(base, cand);
    assert.notEqual(s.verdict, 'regression', s.detail);
  });

  it('asks every round to show the slowdown: 30% in one round and 2% in the other is not a regression', () => {
    const rng = new Rng(24);
    // The rounds' baselines sit at different levels (two processes), so the pooled shift is well above 5%.
    const base = [1, 2].map((level) => Array.from({ length: 15 }, () => level * Math.exp(0.01 * rng.normal())));
    const cand = base.map((r, k) => r.map((v) => v * (k === 0 ? 1.3 : 1.02) * Math.exp(0.01 * rng.normal())));
    const s = speedOf(base, cand);
    assert.equal(s.verdict, 'unchanged');
    assert.match(s.detail, /not above the 5% minimum effect in every round \(rounds: (29|30|31)\.\d%, [0-3]\.\d%\)/);
  });

  it('says when the bursts are too few to reach the level', () => {
    const s = speedOf([[1, 1.1, 0.9]], [[1.5, 1.6, 1.4]]);
    assert.equal(s.verdict, 'too few samples');
    assert.match(s.detail, /3 paired bursts cannot reach p <= 1\.0e-2; raise the cell's timeMs \(more bursts\) or --repeat/);
  });

  it('predicts the detection rate: a slowdown of the predicted size is caught in about 80% of fresh paired comparisons', () => {
    const rng = new Rng(25);
    const threshold = 0.01 / 14;
    const observed = pairedSides(rng, 2, 15, 0, 0.05);
    const rounds = observed.base.map((b, i) => ({ base: b, cand: observed.cand[i] }));
    const d = pairedDetectability('row', rounds, threshold, 0.05);
    assert.ok(d.mde! > 0.05 && d.mde! < 0.2, `mde ${d.mde}`);
    const caughtAt = (slowdown: number, trials: number) => {
      let caught = 0;
      for (let k = 0; k < trials; k++) {
        const fresh = pairedSides(rng, 2, 15, slowdown, 0.05);
        if (compare(side(fresh.base, 'baseline'), side(fresh.cand, 'candidate'), { ...GATE_DEFAULTS, alpha: threshold }).speed[0].verdict === 'regression') caught++;
      }
      return caught;
    };
    // Binomial(40, 0.8) lies within 26..38 with probability 0.99. The prediction errs on the safe side
    // (on these rows the gate catches 80% at about 10.5% where it predicts 12-16%), never by half.
    const atPredicted = caughtAt(d.mde!, 40);
    assert.ok(atPredicted >= 26, `caught ${atPredicted} of 40 at the predicted ${d.mde}`);
    const atHalf = caughtAt(d.mde! / 2, 40);
    assert.ok(atHalf < 32, `caught ${atHalf} of 40 at half the predicted ${d.mde}`);
  });

  it('predicts for a row of few bursts what the gate computes on them (a burst resampled twice is not a tie)', () => {
    // 11 bursts, every one slower: the gate's exact signed-rank p is 2^-11 = 4.9e-4, under 0.01 / 14. Ties
    // made by resampling once sent the prediction to the normal approximation (1.9e-3): "more than 100%".
    const rng = new Rng(26);
    const threshold = 0.01 / 14;
    const observed = { base: [5, 6].map((n) => Array.from({ length: n }, () => 1000 * Math.exp(0.01 * rng.normal()))), cand: [] as number[][] };
    observed.cand = observed.base.map((r) => r.map((v) => v * Math.exp(0.01 * rng.normal())));
    const d = pairedDetectability('row', observed.base.map((b, i) => ({ base: b, cand: observed.cand[i] })), threshold, 0.05);
    assert.ok(d.mde !== undefined && d.mde < 0.1, `mde ${d.mde}`);
    const slowed = observed.base.map((r) => r.map((v) => v * 1.1 * Math.exp(0.01 * rng.normal())));
    assert.equal(compare(side(observed.base, 'baseline'), side(slowed, 'candidate'), { ...GATE_DEFAULTS, alpha: threshold }).speed[0].verdict, 'regression');
  });
});
