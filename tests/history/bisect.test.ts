// Bisect's search and cell, without building anything: on a 64-commit history a step at any commit
// is found in at most ceil(log2 64) + 1 = 7 builds (GOOD's included), and a commit that cannot be
// timed is stepped around. The end-to-end run over real commits is bisect.slow.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { cellSuite, parseCell, searchFirstSlower, type ProbeOutcome } from '../../src/history/bisect.js';
import { HistoryError } from '../../src/errors.js';

const N = 64;

async function find(stepAt: number, skipped: ReadonlySet<number> = new Set()) {
  return searchFirstSlower(N, async (i): Promise<ProbeOutcome> => (skipped.has(i) ? 'skipped' : i >= stepAt ? 'slower' : 'not slower'));
}

describe('bisect', () => {
  it(`finds a step at every one of ${N} commits in at most ceil(log2 n) + 1 builds, GOOD's included`, async () => {
    for (let stepAt = 1; stepAt <= N; stepAt++) {
      const r = await find(stepAt);
      assert.equal(r.firstSlower, stepAt);
      assert.equal(r.lastGood, stepAt - 1);
      assert.ok(r.probed.length + 1 <= Math.ceil(Math.log2(N)) + 1, `step at ${stepAt}: ${r.probed.length} probes`);
      assert.ok(!r.probed.includes(N), 'BAD is taken as slower, not probed');
    }
  });

  it('steps around a commit that cannot be timed, and says when the step may lie in skipped ones', async () => {
    const around = await find(40, new Set([32]));
    assert.equal(around.firstSlower, 40);
    assert.ok(around.probed.includes(32) && around.probed.includes(33));
    const hidden = await find(40, new Set([39]));
    assert.deepEqual([hidden.lastGood, hidden.firstSlower, hidden.skippedBetween], [38, 40, [39]]);
  });

  it('times one cell: model/workload/size[/backend] exactly, as a one-cell suite', () => {
    assert.deepEqual(parseCell('logreg/predict/rows=2000;cols=10/wasm'), { model: 'logreg', workload: 'predict', size: 'rows=2000;cols=10', backend: 'wasm' });
    const suite = cellSuite(parseCell('svm/fit-rbf/rows=500;cols=5;kernel=rbf'), 250) as { cells: { sizes: object[] }[]; timing: { timeMs: number } };
    assert.deepEqual(suite.cells[0].sizes, [{ rows: 500, cols: 5, kernel: 'rbf' }]);
    assert.equal(suite.timing.timeMs, 250);
    for (const bad of ['logreg/*/rows=1', 'logreg/fit', 'logreg/fit/rows', 'a/b/c=1/d/e']) {
      assert.throws(() => parseCell(bad), (e: unknown) => e instanceof HistoryError && /bisect times one cell/.test(e.message), bad);
    }
  });
});
