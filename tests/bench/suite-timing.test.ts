import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { cellTiming, loadSuite } from '../../src/bench/suite.js';
import type { RunContext } from '../../src/report/context.js';
import { measuredDetectableLines } from '../../src/report/summary.js';
import { modelbench } from '../helpers/cli.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-suite-'));
const write = (suite: unknown) => {
  const file = path.join(tmp(), 'suite.json');
  fs.writeFileSync(file, JSON.stringify(suite));
  return file;
};
const TIMING = { timeMs: 250, minIterations: 5, warmupIterations: 1, maxCellSeconds: 10 };

describe('a suite cell with its own timing', () => {
  it('runs under its own fields over the suite\'s, and the other cells under the suite\'s', () => {
    const file = write({
      name: 't',
      description: 'd',
      timing: TIMING,
      cells: [
        { model: 'logreg', workload: 'fit', sizes: [{ rows: 100, cols: 3 }, { rows: 200, cols: 3 }], timing: { timeMs: 2000, minIterations: 30 } },
        { model: 'logreg', workload: 'predict', sizes: [{ rows: 100, cols: 3 }] },
      ],
    });
    const suite = loadSuite(file);
    assert.deepEqual(suite.cells.map((c) => cellTiming(suite.timing, c)), [
      { ...TIMING, timeMs: 2000, minIterations: 30 },
      { ...TIMING, timeMs: 2000, minIterations: 30 },
      TIMING,
    ]);
  });

  it('refuses unknown, negative or non-numeric timing fields, naming the file, the cell and the field', () => {
    const bad = (cellTimingValue: unknown) => write({ name: 't', description: 'd', timing: TIMING, cells: [{ model: 'logreg', workload: 'fit', sizes: [{ rows: 10, cols: 2 }], timing: cellTimingValue }] });
    let file = bad({ timeMs: -1 });
    assert.throws(() => loadSuite(file), new RegExp(`${file}: cell logreg/fit: "timing.timeMs" is -1; it must be a non-negative number`));
    file = bad({ samples: 30 });
    assert.throws(() => loadSuite(file), /cell logreg\/fit: "timing" has unknown field 'samples'; fields: timeMs, minIterations, warmupIterations, maxCellSeconds/);
    file = bad({ minIterations: '30' });
    assert.throws(() => loadSuite(file), /"timing.minIterations" is "30"/);
    file = write({ name: 't', description: 'd', timing: { timeMs: 100 }, cells: [] });
    assert.throws(() => loadSuite(file), /the suite's "timing" needs "minIterations"/);
  });

  it('carries the cells\' measured detectable slowdowns (a prediction alone, or with the pairs that caught an injected slowdown), and refuses a malformed one', () => {
    const file = write({
      name: 't',
      description: 'd',
      calibration: { wasm: 'results/baselines/x', cpu: 'results/baselines/y' },
      timing: TIMING,
      cells: [{ model: 'svm', workload: 'fit-linear', sizes: [{ rows: 10, cols: 2 }], measuredDetectable: { wasm: 0.31, cpu: { mde: 0.08, injected: 0.1, caught: 14, pairs: 20 } } }],
    });
    const suite = loadSuite(file);
    assert.deepEqual(suite.calibration, { wasm: 'results/baselines/x', cpu: 'results/baselines/y' });
    const calibrated = (calibration: unknown) => write({ name: 't', description: 'd', calibration, timing: TIMING, cells: [] });
    assert.throws(() => loadSuite(calibrated('results/baselines/x')), /"calibration" is "results\/baselines\/x"; it must name each backend's calibration folder, such as \{"wasm": /);
    assert.throws(() => loadSuite(calibrated({ wasm: 3 })), /"calibration.wasm" is 3; it must be the folder of that backend's calibration/);
    assert.deepEqual(suite.cells[0].measuredDetectable, { wasm: { mde: 0.31 }, cpu: { mde: 0.08, injected: 0.1, caught: 14, pairs: 20 } });
    const bad = (mark: unknown) => write({ name: 't', description: 'd', timing: TIMING, cells: [{ model: 'svm', workload: 'fit-linear', sizes: [{ rows: 10, cols: 2 }], measuredDetectable: { wasm: mark } }] });
    assert.throws(() => loadSuite(bad(-0.3)), /cell svm\/fit-linear: "measuredDetectable.wasm" is -0.3; it must be a positive fraction \(0.31 for 31%\)/);
    assert.throws(() => loadSuite(bad({ mde: 0 })), /"measuredDetectable.wasm.mde" is 0; it must be a positive fraction/);
    assert.throws(() => loadSuite(bad({ mde: 0.1, caught: 3 })), /"measuredDetectable.wasm" gives caught without the rest; a calibration's count needs injected, caught and pairs together/);
    assert.throws(() => loadSuite(bad({ mde: 0.1, injected: 0.1, caught: 21, pairs: 20 })), /has caught 21 of pairs 20; they must be whole numbers with 0 <= caught <= pairs/);
    assert.throws(() => loadSuite(bad({ mde: 0.1, detected: 3 })), /"measuredDetectable.wasm" has unknown field 'detected'; fields: mde, injected, caught, pairs/);
  });

  it('a run names the marked cells of its backends in its summary; an unknown backend in a mark is a usage error', () => {
    const lines = measuredDetectableLines({ options: { measuredDetectable: { calibration: { wasm: 'results/baselines/x', cpu: 'results/baselines/y' }, marks: [{ cell: 'svm/fit-linear/rows=10;cols=2', backend: 'wasm', mde: 0.31 }] } } } as unknown as RunContext);
    // Only the calibrations of the marked backends are named.
    assert.match(lines!, /beyond its gate's reach .*\(wasm: results\/baselines\/x\):/);
    assert.match(lines!, /svm\/fit-linear\/rows=10;cols=2 on wasm: 31.0% predicted$/m);
    const counted = measuredDetectableLines({ options: { measuredDetectable: { marks: [{ cell: 'logreg/fit/rows=10000;cols=50', backend: 'wasm', mde: 0.082, injected: 0.1, caught: 14, pairs: 20 }] } } } as unknown as RunContext);
    assert.match(counted!, /logreg\/fit\/rows=10000;cols=50 on wasm: 8.2% predicted; an injected 10% slowdown caught in 14 of 20 pairs/);
    const beyond = measuredDetectableLines({ options: { measuredDetectable: { marks: [{ cell: 'vae/decode/batch=512', backend: 'wasm', mde: 1 }] } } } as unknown as RunContext);
    assert.match(beyond!, /vae\/decode\/batch=512 on wasm: > 100%/);
    assert.equal(measuredDetectableLines({ options: {} } as unknown as RunContext), undefined);
    const file = write({ name: 't', description: 'd', timing: TIMING, cells: [{ model: 'logreg', workload: 'predict', sizes: [{ rows: 10, cols: 2 }], measuredDetectable: { tpu: 0.2 } }] });
    const r = modelbench(['run', '--suite', file, '--backends', 'cpu', '--out', tmp()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"measuredDetectable" names unknown backend 'tpu'; valid backends: cpu, wasm/);
    const named = write({ name: 't', description: 'd', calibration: { tpu: 'results/baselines/x' }, timing: TIMING, cells: [{ model: 'logreg', workload: 'predict', sizes: [{ rows: 10, cols: 2 }] }] });
    const n = modelbench(['run', '--suite', named, '--backends', 'cpu', '--out', tmp()]);
    assert.equal(n.code, 2);
    assert.match(n.stderr, /"calibration" names unknown backend 'tpu'; valid backends: cpu, wasm/);
  });
});
