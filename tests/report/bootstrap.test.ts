// The O(1) bootstrap median (one Beta draw of the median's index) against the textbook one (n draws
// with replacement, then the median): the same distribution, for odd and even n and for ties.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { bootstrapMedian, ratioOfMediansInterval } from '../../src/stats/bootstrap.js';
import { quantile } from '../../src/stats/descriptive.js';
import { Rng } from '../../src/seeds.js';
import { latencies } from '../helpers/runs.js';

function naiveMedian(sorted: readonly number[], rng: Rng): number {
  const resample = Array.from({ length: sorted.length }, () => sorted[rng.int(sorted.length)]).sort((a, b) => a - b);
  return quantile(resample, 0.5);
}

const points = (draws: number[]) => {
  const s = [...draws].sort((a, b) => a - b);
  return [0.025, 0.25, 0.5, 0.75, 0.975].map((q) => quantile(s, q));
};

describe('bootstrap median', () => {
  for (const [n, label] of [[31, 'odd'], [40, 'even'], [7, 'small odd'], [8, 'small even']] as const) {
    it(`matches the resampling bootstrap's quantiles (${label} n = ${n})`, () => {
      const sorted = latencies(10, n, n).sort((a, b) => a - b);
      const fast = new Rng(1);
      const slow = new Rng(2);
      const a = points(Array.from({ length: 20000 }, () => bootstrapMedian(sorted, fast)));
      const b = points(Array.from({ length: 20000 }, () => naiveMedian(sorted, slow)));
      const spread = sorted.at(-1)! - sorted[0];
      a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= 0.01 * spread, `quantile ${i}: ${x} vs ${b[i]} (spread ${spread})`));
    });
  }

  it('handles ties and one sample; the interval holds the point ratio and narrows with more samples', () => {
    const rng = new Rng(3);
    assert.equal(bootstrapMedian([5], rng), 5);
    assert.equal(bootstrapMedian([2, 2, 2, 2], rng), 2);
    const a = latencies(10, 30, 4).sort((x, y) => x - y);
    const b = latencies(5, 30, 5).sort((x, y) => x - y);
    const iv = ratioOfMediansInterval(a, b, new Rng(6), 2000);
    const point = quantile(a, 0.5) / quantile(b, 0.5);
    assert.ok(iv.low < point && point < iv.high, `${iv.low} < ${point} < ${iv.high}`);
    const big = ratioOfMediansInterval(latencies(10, 3000, 7).sort((x, y) => x - y), latencies(5, 3000, 8).sort((x, y) => x - y), new Rng(6), 2000);
    assert.ok(big.high - big.low < (iv.high - iv.low) / 4, 'a hundred times the samples: a tenth of the width');
    assert.deepEqual(ratioOfMediansInterval(a, b, new Rng(6), 2000), iv, 'seeded: the same interval again');
  });
});
