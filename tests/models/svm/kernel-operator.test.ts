// The RBF operator's column cache: a block product summed on the host from kept columns equals the
// backend's product without a cache, whether the columns were kept, computed now, or left out of
// a spent budget, and on repeated calls.
import assert from 'node:assert/strict';
import { it } from 'vitest';
import { kernelOperator } from '../../../src/models/svm/kernel-operator.js';
import { Rng } from '../../../src/seeds.js';
import { describeEachBackend } from '../../helpers/each-backend.js';

const ROWS = 400;
const COLS = 7;

function maxRelativeDifference(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return worst / scale;
}

describeEachBackend('SVM RBF kernel column cache', (backend) => {
  it('block products with a cache (ample, or spent after three columns) equal those without, call after call', async () => {
    const rng = new Rng(5);
    const x = Float64Array.from({ length: ROWS * COLS }, () => 2 * rng.normal());
    const kernel = { type: 'rbf' as const, gamma: 0.3 };
    const plain = kernelOperator(backend.tf, x, ROWS, COLS, kernel);
    const ample = kernelOperator(backend.tf, x, ROWS, COLS, kernel, { cacheBytes: ROWS * ROWS * 4 });
    const tight = kernelOperator(backend.tf, x, ROWS, COLS, kernel, { cacheBytes: 3 * ROWS * 4 });
    try {
      for (let call = 0; call < 4; call++) {
        // Overlapping blocks, so later calls mix kept and new columns; one coefficient is 0.
        const block = Array.from({ length: 9 }, (_, r) => (call * 5 + r * 11) % ROWS);
        const coef = Float64Array.from(block, (_, r) => (r === 4 ? 0 : rng.normal()));
        const want = await plain.applyBlock(block, coef);
        for (const op of [ample, tight]) {
          const got = await op.applyBlock(block, coef);
          assert.ok(maxRelativeDifference(got, want) <= backend.tolerance, `call ${call}: ${maxRelativeDifference(got, want)}`);
        }
      }
    } finally {
      plain.dispose();
      ample.dispose();
      tight.dispose();
    }
  });
});
