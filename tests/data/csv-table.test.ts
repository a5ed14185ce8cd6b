import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { parseLabelledCsv, readLabelledCsv } from '../../src/data/csv-table.js';
import { DataError } from '../../src/errors.js';
import { BREAST_CANCER } from '../helpers/data.js';

const parse = (text: string, label?: string) => parseLabelledCsv(text, 'my.csv', { label });

describe('labelled CSV reader', () => {
  it('reads the breast-cancer fixture: 569 x 30, label column last', () => {
    const d = readLabelledCsv(BREAST_CANCER);
    assert.equal(d.rows, 569);
    assert.equal(d.cols, 30);
    assert.equal(d.featureNames[0], 'mean_radius');
    assert.equal(d.y.reduce((a, b) => a + b, 0), 357);
  });

  it('maps -1/+1 labels to 0/1 and honours --label', () => {
    const d = parse('y,a,b\n-1,1,2\n1,3,4\n', 'y');
    assert.deepEqual(Array.from(d.y), [0, 1]);
    assert.deepEqual(Array.from(d.x), [1, 2, 3, 4]);
    assert.deepEqual(d.featureNames, ['a', 'b']);
  });

  it('accepts CRLF line ends and a trailing blank line', () => {
    assert.equal(parse('a,y\r\n1,0\r\n2,1\r\n\r\n').rows, 2);
  });

  const refusals: [string, string, RegExp][] = [
    ['an empty file', '', /my\.csv: the file is empty/],
    ['a header without rows', 'a,y\n', /header but no data rows/],
    ['a ragged row', 'a,b,y\n1,2,0\n1,1\n', /my\.csv: line 3 has 2 cells but the header has 3/],
    ['a non-numeric cell', 'a,b,y\n1,2,0\n1,abc,1\n', /my\.csv: line 3, column 'b': 'abc' is not a number/],
    ['an empty cell', 'a,b,y\n1,,0\n1,2,1\n', /line 2, column 'b': '' is not a number/],
    ['NaN', 'a,y\nNaN,0\n1,1\n', /line 2, column 'a': 'NaN' is not a number/],
    ['Infinity', 'a,y\nInfinity,0\n1,1\n', /line 2, column 'a': 'Infinity' is not finite/],
    ['a label outside {0,1}/{-1,1}', 'a,y\n1,0\n2,2\n', /label column 'y': line 3 has 2; labels must be 0\/1 or -1\/\+1/],
    ['labels mixing 0 and -1', 'a,y\n1,0\n2,-1\n3,1\n', /labels must be 0\/1 or -1\/\+1/],
    ['a single class', 'a,y\n1,1\n2,1\n', /single class/],
    ['an unknown label column', 'a,y\n1,1\n2,0\n', /no column named 'z'.*pass --label/],
    ['a header of one column', 'y\n1\n0\n', /line 1 \(header\) has 1 column/],
    ['a duplicated column name', 'a,b,a,y\n1,2,3,0\n4,5,6,1\n', /line 1 \(header\) names column 'a' twice \(columns 1 and 3\); give every column a distinct name/],
    ['a hexadecimal number', 'a,y\n0x10,0\n1,1\n', /line 2, column 'a': '0x10' is not a number; every cell must be a finite decimal number/],
    ['a number too large for a double', 'a,y\n1e999,0\n1,1\n', /line 2, column 'a': '1e999' is not finite in double precision/],
    ['an unclosed quote', 'a,y\n"1,0\n1,1\n', /my\.csv: line \d+: not valid CSV/],
  ];
  for (const [what, text, message] of refusals) {
    it(`refuses ${what} with the file, place and rule`, () => {
      assert.throws(() => parse(text, what === 'an unknown label column' ? 'z' : undefined), (e: unknown) => e instanceof DataError && message.test(e.message));
    });
  }

  it('reads a quoted field with a comma as one cell (and refuses it as a number, not as a ragged row)', () => {
    assert.deepEqual(Array.from(parse('a,y\n"1.5",0\n2,1\n').x), [1.5, 2]);
    assert.throws(() => parse('a,b,y\n"1,5",2,0\n1,2,1\n'), /line 2, column 'a': '1,5' is not a number/);
  });

  it('reads a file larger than one read chunk, with the right line numbers after it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-'));
    const file = path.join(dir, 'big.csv');
    const rows = 600_000;
    const lines = ['a,b,y', ...Array.from({ length: rows }, (_, i) => `${i},${(i % 7) / 3},${i % 2}`)];
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const d = readLabelledCsv(file);
    assert.equal(d.rows, rows);
    assert.equal(d.x[2 * (rows - 1)], rows - 1);
    fs.appendFileSync(file, '1,oops,0\n');
    assert.throws(() => readLabelledCsv(file), new RegExp(`line ${rows + 2}, column 'b': 'oops' is not a number`));
  });

  it('names a missing file', () => {
    assert.throws(() => readLabelledCsv('/nonexistent/x.csv'), /\/nonexistent\/x\.csv: cannot read the file \(ENOENT\)/);
  });
});
