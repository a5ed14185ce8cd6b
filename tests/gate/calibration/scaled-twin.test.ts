// A `scale:` calibration's slowed side: the twin's injected rows scaled, the others untouched.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import type { LoadedRun } from '../../../src/results/load-runs.js';
import type { Row } from '../../../src/types.js';
import { scaledTwin } from '../../../src/gate/calibration/scaled-twin.js';

const row = (model: string, backend: string): Row =>
  ({ model, workload: 'fit', size: 'rows=10', backend, status: 'ok', medianMs: 2, rawSamples: [1, 2, 3], burstMedians: [2, 4] }) as unknown as Row;
const run = { dir: 'r1', context: { options: { role: 'twin' } }, rows: [row('logreg', 'cpu'), row('logreg', 'wasm')] } as unknown as LoadedRun;

describe('scaledTwin', () => {
  it('multiplies the injected rows samples, burst medians and median, records the spec, and leaves the twin as it was', () => {
    const [out] = scaledTwin([run], 'scale:*/cpu=0.5');
    assert.deepEqual(out.rows[0].rawSamples, [1.5, 3, 4.5]);
    assert.deepEqual(out.rows[0].burstMedians, [3, 6]);
    assert.equal(out.rows[0].medianMs, 3);
    assert.deepEqual(out.rows[1].rawSamples, [1, 2, 3]);
    assert.equal((out.context.options as { injectSlowdown?: string }).injectSlowdown, 'scale:*/cpu=0.5');
    assert.deepEqual(run.rows[0].rawSamples, [1, 2, 3]);
    assert.equal((run.context.options as { injectSlowdown?: string }).injectSlowdown, undefined);
  });

  it('refuses a busy-wait spec, which a scaled copy would misrepresent', () => {
    assert.throws(() => scaledTwin([run], '*/cpu=0.5'), /not a scale: injection/);
  });
});
