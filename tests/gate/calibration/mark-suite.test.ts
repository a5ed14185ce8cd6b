import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { loadSuite } from '../../../src/timing/suite.js';
import { markOf, markSuite, type CalibratedRow } from '../../../src/gate/calibration/mark-suite.js';
import { REPO_ROOT } from '../../../src/results/context.js';

const TIMING = { timeMs: 250, minIterations: 5, warmupIterations: 1 };
const row = (caught: number, injected: number, predicted: number[]): CalibratedRow => ({ caught, injected, predicted });

describe('a gate calibration marks its suite', () => {
  it('leaves a row unmarked only when its prediction and its pairs both put the injected slowdown within reach', () => {
    assert.equal(markOf(row(19, 20, [0.06, 0.07, 0.09]), 0.1), undefined);
    // Predicted within reach, caught too rarely: marked, with both measures.
    assert.deepEqual(markOf(row(14, 20, [0.06, 0.082, 0.3]), 0.1), { mde: 0.082, injected: 0.1, caught: 14, pairs: 20 });
    // Caught every time but predicted beyond: marked (the prediction is what a user's run reports).
    assert.deepEqual(markOf(row(20, 20, [0.12, 0.13, 0.2]), 0.1), { mde: 0.13, injected: 0.1, caught: 20, pairs: 20 });
    // No prediction reached 100%: the mark says more than 100%.
    assert.deepEqual(markOf(row(0, 20, [Infinity, Infinity, 0.5]), 0.1), { mde: 1, injected: 0.1, caught: 0, pairs: 20 });
  });

  it('rewrites the marks of the calibrated backend only, by each entry\'s worst size, and the result loads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-mark-'));
    const file = path.join(dir, 'suite.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 't',
        description: 'd',
        timing: TIMING,
        cells: [
          { model: 'logreg', workload: 'fit', sizes: [{ rows: 100, cols: 3 }, { rows: 200, cols: 3 }] },
          { model: 'logreg', workload: 'predict', sizes: [{ rows: 100, cols: 3 }], measuredDetectable: { wasm: 0.4, cpu: 0.2 } },
          { model: 'svm', workload: 'fit-linear', sizes: [{ rows: 100, cols: 3 }], measuredDetectable: { cpu: 0.3 } },
        ],
      }),
    );
    const rows = new Map<string, CalibratedRow>([
      ['logreg/fit/rows=100;cols=3/wasm', row(20, 20, [0.05])],
      ['logreg/fit/rows=200;cols=3/wasm', row(12, 20, [0.09])],
      ['logreg/predict/rows=100;cols=3/wasm', row(20, 20, [0.07])],
    ]);
    markSuite(file, dir, 0.1, 20, rows);
    const suite = loadSuite(file);
    const marks = (model: string, workload: string) => suite.cells.find((c) => c.model === model && c.workload === workload)!.measuredDetectable;
    // One size of the entry missed: the entry (both sizes) carries that size's mark.
    assert.deepEqual(marks('logreg', 'fit'), { wasm: { mde: 0.09, injected: 0.1, caught: 12, pairs: 20 } });
    // Now within reach on wasm: that mark goes, cpu's stays.
    assert.deepEqual(marks('logreg', 'predict'), { cpu: { mde: 0.2 } });
    // Not calibrated here: untouched.
    assert.deepEqual(marks('svm', 'fit-linear'), { cpu: { mde: 0.3 } });
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')).length, 0);
    assert.throws(() => markSuite(path.join(dir, 'absent.json'), dir, 0.1, 20, rows), /--mark: no suite '.*absent.json'/);
  });

  it('points the calibrated backend, and only it, at a calibration kept in the checkout', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-mark-'));
    const file = path.join(dir, 'suite.json');
    const wasmCalibration = 'results/baselines/wasm-calibration';
    fs.writeFileSync(file, JSON.stringify({ name: 't', description: 'd', calibration: { wasm: wasmCalibration }, timing: TIMING, cells: [{ model: 'logreg', workload: 'fit', sizes: [{ rows: 100, cols: 3 }] }] }));
    markSuite(file, path.join(REPO_ROOT, 'results/baselines/cpu-calibration'), 0.1, 20, new Map([['logreg/fit/rows=100;cols=3/cpu', row(3, 20, [0.4])]]));
    const suite = loadSuite(file);
    assert.deepEqual(suite.calibration, { wasm: wasmCalibration, cpu: 'results/baselines/cpu-calibration' });
    assert.deepEqual(suite.cells[0].measuredDetectable, { cpu: { mde: 0.4, injected: 0.1, caught: 3, pairs: 20 } });
  });
});
