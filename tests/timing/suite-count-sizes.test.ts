// A cell's "countSizes": the sizes its counted rows take, apart from the timed "sizes" (a count under
// valgrind needs a short call). Timed runs leave them out, counted runs leave the timed sizes out, and a
// run of both measures gets each size measured as its list says.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { cellMeasures, loadSuite, measuredIn, sizeLabel } from '../../src/timing/suite.js';

const TIMING = { timeMs: 20, minIterations: 3, warmupIterations: 1 };
function write(cell: object): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'count-sizes-')), 'suite.json');
  const cells = [{ model: 'logreg', workload: 'fit', sizes: [{ rows: 10000, cols: 50 }], ...cell }];
  fs.writeFileSync(file, JSON.stringify({ name: 'c', description: 'd', timing: TIMING, cells }));
  return file;
}

describe('a cell with counting sizes', () => {
  it('times its sizes and counts its countSizes; a size in both lists is measured both ways', () => {
    const suite = loadSuite(write({ countSizes: [{ rows: 1000, cols: 20 }, { rows: 10000, cols: 50 }] }));
    const bySize = new Map(suite.cells.map((c) => [sizeLabel(c.size), c]));
    assert.deepEqual([...bySize.keys()], ['rows=10000;cols=50', 'rows=1000;cols=20']);
    const both = bySize.get('rows=10000;cols=50')!;
    const small = bySize.get('rows=1000;cols=20')!;
    assert.deepEqual(cellMeasures(both, ['time', 'instructions']), ['time', 'instructions']);
    assert.deepEqual(cellMeasures(small, ['time', 'instructions']), ['instructions']);
    assert.equal(measuredIn(small, ['time']), false);
    assert.equal(measuredIn(small, ['instructions']), true);
  });

  it('without countSizes, counts at its sizes', () => {
    const [cell] = loadSuite(write({})).cells;
    assert.equal(cell.measures, undefined);
    assert.deepEqual(cellMeasures(cell, ['instructions']), ['instructions']);
  });

  it('keeps timed sizes out of a counted run, and counted sizes out of a timed one', () => {
    const [timed, counted] = loadSuite(write({ countSizes: [{ rows: 1000, cols: 20 }] })).cells;
    assert.deepEqual([measuredIn(timed, ['time']), measuredIn(timed, ['instructions'])], [true, false]);
    assert.deepEqual([measuredIn(counted, ['time']), measuredIn(counted, ['instructions'])], [false, true]);
  });

  it('refuses a bad countSizes with the file, the cell and the fix', () => {
    for (const [bad, says] of [
      [[], /"countSizes" is \[\]; it must be a non-empty list such as \[\{"rows"/],
      [[{ rows: 100 }], /countSizes\[0\] needs "cols"/],
      [{ rows: 100, cols: 2 }, /"countSizes" is .*; it must be a non-empty list/],
    ] as const) {
      const file = write({ countSizes: bad });
      assert.throws(
        () => loadSuite(file),
        (e: Error) => e.message.startsWith(`${file}: `) && says.test(e.message),
        JSON.stringify(bad),
      );
    }
  });

  it('gives its counted rows the countSpan of their backend, and not its timed-only sizes', () => {
    const [timed, counted] = loadSuite(
      write({ countSizes: [{ rows: 1000, cols: 20 }], countSpan: { cpu: 4, wasm: 32 } }),
    ).cells;
    assert.equal(timed.countSpan, undefined);
    assert.deepEqual(counted.countSpan, { cpu: 4, wasm: 32 });
  });

  it('refuses a bad countSpan with the file, the cell and the fix', () => {
    for (const [bad, says] of [
      [4, /"countSpan" is 4; it must be like \{"cpu": 4, "wasm": 8\}/],
      [{ webgpu: 4 }, /names 'webgpu', which is not counted \(counted backends: cpu, wasm\)/],
      [{ cpu: 0 }, /gives cpu 0 calls, not a whole number from 1 to 1024/],
      [{ wasm: 2.5 }, /gives wasm 2.5 calls/],
    ] as const) {
      const file = write({ countSpan: bad });
      assert.throws(
        () => loadSuite(file),
        (e: Error) => e.message.startsWith(`${file}: cells[0] (logreg/fit): `) && says.test(e.message),
        JSON.stringify(bad),
      );
    }
  });
});
