// The counted gate's extra work: the WebAssembly loop computes the chain it is said to, for any count, so that its
// iterations are real work (their cost per iteration is counted in inject-work.slow.test.ts).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { workLoop } from '../../src/timing/work-loop.js';

/** The float64 chain the loop computes, written out apart from it. */
function chain(iterations: number, acc: number): number {
  let x = acc;
  for (let i = 0; i < iterations; i++) x = x * 0.5 + 1;
  return x;
}

describe('the work loop', () => {
  it('computes acc * 0.5 + 1 exactly n times, for any n from 0 and any starting value', () => {
    const work = workLoop();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.double({ noNaN: true, min: -1e300, max: 1e300 }), (n, acc) => {
        assert.equal(work(n, acc), chain(n, acc));
      }),
    );
    assert.equal(work(0, 7), 7);
  });
});
