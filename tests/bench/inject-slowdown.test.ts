// The calibration's injected slowdown: which cells it slows, and how (a busy-wait, or a factor on the samples).
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { injectedSlowdown, isInjected, parseInjection, slowdownFor } from '../../src/timing/inject-slowdown.js';
import { timeOpenCell, type OpenCell } from '../../src/timing/run-cell.js';

const KEY = 'logreg/fit/rows=1000;cols=10/cpu';
const spin = (ms: number) => async () => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // the call's own work
  }
};

describe('injected slowdown', () => {
  it('matches cells by glob, the last matching part winning, and slows none without a spec', () => {
    assert.equal(injectedSlowdown(KEY, undefined), 0);
    assert.equal(injectedSlowdown(KEY, '*/cpu=0.1'), 0.1);
    assert.equal(injectedSlowdown(KEY, '*/cpu=0.1,logreg/*=0.3'), 0.3);
    assert.equal(injectedSlowdown(KEY, '*/wasm=0.1'), 0);
    assert.equal(injectedSlowdown(KEY, 'scale:*/cpu=0.1'), 0.1);
    assert.equal(isInjected(KEY, 'scale:svm/*=0.1'), false);
    assert.equal(parseInjection('*/cpu=0.1')!.mode, 'busy-wait');
    assert.equal(parseInjection('scale:*/cpu=0.1')!.mode, 'scale');
  });

  it('names the part that is not GLOB=FRACTION', () => {
    for (const bad of ['not-a-spec', '*/cpu=', '*/cpu=-0.1', 'scale:', '*/cpu=x']) {
      assert.throws(() => injectedSlowdown(KEY, bad), /MODELBENCH_INJECT_SLOWDOWN: '.*' is not GLOB=FRACTION/, bad);
    }
  });

  it('a busy-wait wraps the call; scale leaves the call alone and multiplies its samples', async () => {
    const run = spin(1);
    const busy = slowdownFor(KEY, run, '*/cpu=0.5');
    assert.notEqual(busy.run, run);
    assert.equal(busy.sampleScale, 1);
    const scaled = slowdownFor(KEY, run, 'scale:*/cpu=0.5');
    assert.equal(scaled.run, run);
    assert.equal(scaled.sampleScale, 1.5);
    const untouched = slowdownFor(KEY, run, 'scale:*/wasm=0.5');
    assert.equal(untouched.run, run);
    assert.equal(untouched.sampleScale, 1);

    // A call of at least 5 ms, its samples doubled: none under 10 ms.
    const open = { row: { model: 'logreg', workload: 'fit' }, run: spin(5), sampleScale: 2 } as unknown as OpenCell;
    const samples = await timeOpenCell(open, 0, 4, 0);
    assert.ok(samples.length >= 4);
    for (const ms of samples) assert.ok(ms >= 10, `${ms} ms`);
  });
});
