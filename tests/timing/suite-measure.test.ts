// A suite's "measure" field: what `run` measures of its rows unless --measure says otherwise.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { loadSuite } from '../../src/timing/suite.js';
import { modelbench } from '../helpers/cli.js';

const TIMING = { timeMs: 20, minIterations: 3, warmupIterations: 1 };
const CELLS = [{ model: 'logreg', workload: 'predict', sizes: [{ rows: 100, cols: 3 }] }];
function write(suite: object): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'suite-measure-')), 'suite.json');
  fs.writeFileSync(file, JSON.stringify({ name: 'm', description: 'd', timing: TIMING, cells: CELLS, ...suite }));
  return file;
}

describe('a suite that says what is measured', () => {
  it('keeps a valid "measure" and refuses others with the file and the fix', () => {
    assert.deepEqual(loadSuite(write({ measure: ['instructions'] })).measure, ['instructions']);
    assert.deepEqual(loadSuite(write({ measure: ['time', 'instructions'] })).measure, ['time', 'instructions']);
    assert.equal(loadSuite(write({})).measure, undefined);
    for (const bad of [['cycles'], [], 'time', ['time', 'time']]) {
      const file = write({ measure: bad });
      const says = (e: Error) =>
        e.message.startsWith(`${file}: "measure" is `) &&
        /it must list time and\/or instructions, each once/.test(e.message);
      assert.throws(() => loadSuite(file), says, JSON.stringify(bad));
    }
  });

  it('is what run measures unless --measure says otherwise', () => {
    const file = write({ measure: ['instructions'] });
    // --measure wins: timed, so this runs in seconds; the suite's own measure is refused with rounds, which proves it was read.
    const timed = modelbench([
      'run',
      '--suite',
      file,
      '--backends',
      'cpu',
      '--measure',
      'time',
      '--repeat',
      '2',
      '--out',
      fs.mkdtempSync(path.join(os.tmpdir(), 'sm-')),
    ]);
    assert.equal(timed.code, 0, timed.stderr);
    const counted = modelbench([
      'run',
      '--suite',
      file,
      '--backends',
      'cpu',
      '--repeat',
      '2',
      '--out',
      fs.mkdtempSync(path.join(os.tmpdir(), 'sm-')),
    ]);
    assert.equal(counted.code, 2);
    assert.match(counted.stderr, /--measure instructions needs no interleaving or rounds/);
  });
});
