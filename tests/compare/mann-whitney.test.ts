// Golden values from scipy 1.10.1 (Debian python3-scipy): scipy.stats.mannwhitneyu(candidate,
// baseline, alternative='greater'|'less', method='exact' | 'asymptotic' with use_continuity=True).
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { mannWhitney, normalCdf } from '../../src/stats/mann-whitney.js';
import { Rng } from '../../src/seeds.js';

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('Mann-Whitney U test', () => {
  it('matches scipy exact p-values on small samples without ties', () => {
    const cases: [number[], number[], number, number, number][] = [
      [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], 25, 0.003968253968253968, 0.9999999999999998],
      [[1.1, 2.3, 3.5, 4.2, 5.9, 6.1], [2.0, 3.1, 6.5, 7.7], 15, 0.30476190476190473, 0.7619047619047619],
      [[3, 1, 2], [2.5, 0.5, 4], 5, 0.5, 0.65],
    ];
    for (const [base, cand, u, pg, pl] of cases) {
      const r = mannWhitney(base, cand);
      assert.equal(r.method, 'exact');
      assert.equal(r.u, u);
      close(r.pGreater, pg, 1e-12);
      close(r.pLess, pl, 1e-12);
    }
  });

  it('matches scipy asymptotic p-value with ties and continuity correction', () => {
    const b = [12.0, 7.4, 10.4, 9.4, 9.5, 9.8, 8.0, 9.8, 9.1, 13.3, 10.2, 9.6, 9.7, 9.3, 8.9, 9.6, 10.5, 9.8, 11.0, 9.8, 10.0, 11.5, 10.5, 9.5, 9.8, 10.5, 11.9, 9.7, 9.8, 11.0, 9.1, 9.7, 10.9, 10.6, 10.1, 10.7, 7.2, 11.0, 9.0, 8.3, 10.3, 10.7, 9.6, 8.9, 10.0, 9.9, 11.4, 10.7, 10.2, 11.1, 9.8, 9.1, 10.6, 10.6, 9.8, 9.2, 10.2, 7.5, 10.7, 10.5];
    const c = [8.8, 10.5, 9.4, 11.2, 8.4, 9.5, 11.1, 11.6, 8.2, 9.9, 10.7, 9.8, 12.0, 9.2, 10.8, 9.4, 11.8, 10.4, 10.0, 8.7, 12.1, 11.2, 11.2, 11.5, 10.7, 9.8, 9.6, 9.6, 11.8, 8.9, 9.8, 10.1, 10.6, 11.0, 9.2, 8.7, 10.4, 11.6, 11.2, 10.6, 10.1, 10.7, 10.2, 11.2, 9.6, 10.5, 10.3, 10.9, 10.6, 13.0, 11.9, 11.9, 8.4, 10.1, 9.8, 10.9, 8.1, 11.6, 11.5, 9.1, 9.4, 9.6, 10.4, 11.0, 12.4, 10.2, 11.2, 10.6, 12.2, 11.1];
    const r = mannWhitney(b, c);
    assert.equal(r.method, 'normal');
    assert.equal(r.u, 2594.5);
    close(r.pGreater, 0.010468961592727612, 1e-6);
  });

  it('normal CDF is accurate to 1e-7', () => {
    close(normalCdf(0), 0.5, 1e-9);
    close(normalCdf(1.959963984540054), 0.975, 2e-7);
    close(normalCdf(-3), 0.0013498980316301, 2e-7);
  });

  it('refuses an empty side', () => {
    assert.throws(() => mannWhitney([], [1]), /samples on both sides/);
  });

  it('counts U as the pairs where the candidate is larger (ties one half), with ties across and within sides', () => {
    const rng = new Rng(7);
    for (let k = 0; k < 200; k++) {
      const coarse = k % 2 === 0;
      const draw = () => (coarse ? Math.round(rng.uniform() * 6) : rng.uniform());
      const b = Array.from({ length: 1 + rng.int(40) }, draw);
      const c = Array.from({ length: 1 + rng.int(40) }, draw);
      let pairs = 0;
      for (const x of c) for (const y of b) pairs += x > y ? 1 : x === y ? 0.5 : 0;
      assert.equal(mannWhitney(b, c).u, pairs);
    }
  });
});
