import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import * as oracle from '../../../src/models/logistic-regression/objective.js';
import { LOGREG_OBJECTIVE_PROPERTIES } from './properties.js';
import { BROKEN } from './broken-oracles.js';

describe('logistic-regression float64 oracle', () => {
  for (const [name, check] of Object.entries(LOGREG_OBJECTIVE_PROPERTIES)) {
    it(`satisfies ${name}`, () => check(oracle));
    it(`${name} rejects its broken twin`, () => {
      const twin = BROKEN[name];
      assert.ok(twin, `no broken twin for property ${name}`);
      assert.throws(() => check(twin), /Property failed/);
    });
  }

  it('is finite at |f| = 1000 and matches the asymptote softplus(z) ~ z', () => {
    const p = { x: Float64Array.from([1000, -1000]), y: Float64Array.from([0, 1]), rows: 2, cols: 1, C: 1 };
    // Both rows are misclassified by a margin of 1000: each costs softplus(1000) = 1000 (to 1e-400).
    assert.equal(oracle.objective(p, [1], 0), 0.5 + 2000);
    assert.equal(oracle.meanLogLoss(p, [1], 0), 1000);
  });

  it('C = inf drops the penalty', () => {
    const p = { x: Float64Array.from([1, -1]), y: Float64Array.from([1, 0]), rows: 2, cols: 1, C: Infinity };
    assert.equal(oracle.objective(p, [2], 0), 2 * Math.log1p(Math.exp(-2)));
  });
});
