import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { cellTiming, loadSuite } from '../../src/bench/suite.js';

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
});
