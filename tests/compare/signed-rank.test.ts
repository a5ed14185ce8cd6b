// The signed-rank test: exact p-values equal a brute-force count over every sign pattern, R's
// wilcox.test example is reproduced, and the normal approximation agrees with the exact test where both apply.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { signedRank, smallestSignedRankP } from '../../src/stats/signed-rank.js';
import { Rng } from '../../src/seeds.js';

/** P(W+ >= observed) by enumerating all 2^n sign patterns of ranks 1..n. */
function bruteForceUpper(n: number, wPlus: number): number {
  let hits = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let w = 0;
    for (let k = 0; k < n; k++) if (mask & (1 << k)) w += k + 1;
    if (w >= wPlus) hits++;
  }
  return hits / (1 << n);
}

describe('signedRank', () => {
  it('gives the exact one-sided p-values of every sign pattern count', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + rng.int(12);
      const d = Array.from({ length: n }, () => rng.normal() + 0.3);
      const t = signedRank(d);
      assert.equal(t.method, 'exact');
      assert.ok(Math.abs(t.pGreater - bruteForceUpper(n, t.wPlus)) < 1e-12, `n ${n}`);
      assert.ok(Math.abs(t.pLess - (1 - bruteForceUpper(n, t.wPlus + 1))) < 1e-12, `n ${n}`);
    }
  });

  it("reproduces R's wilcox.test(x, y, paired = TRUE, alternative = 'greater'): V = 40, p = 0.01953", () => {
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const t = signedRank(x.map((v, i) => v - y[i]));
    assert.equal(t.wPlus, 40);
    assert.ok(Math.abs(t.pGreater - 0.01953125) < 1e-9);
  });

  it('drops zero differences, and the normal approximation (ties) stays close to the exact test', () => {
    assert.equal(signedRank([0, 0, 1]).n, 1);
    assert.equal(signedRank([]).pGreater, 1);
    const rng = new Rng(12);
    const d = Array.from({ length: 40 }, () => rng.normal() + 0.4);
    const exact = signedRank(d);
    // The same magnitudes with one tie force the normal approximation.
    const tied = [...d];
    tied[1] = Math.sign(tied[1]) * Math.abs(tied[0]);
    const approx = signedRank(tied);
    assert.equal(exact.method, 'exact');
    assert.equal(approx.method, 'normal');
    assert.ok(Math.abs(Math.log(approx.pGreater / exact.pGreater)) < 0.35, `${approx.pGreater} vs ${exact.pGreater}`);
    assert.equal(smallestSignedRankP(12), 2 ** -12);
    assert.ok(Math.abs(signedRank(Array.from({ length: 12 }, (_, i) => i + 1)).pGreater - 2 ** -12) < 1e-15);
  });
});
