// The IDX reader refuses anything that is not exactly what its header says, naming the file and the fix.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { loadFashionMnistFixture } from '../../src/data/fashion-mnist.js';
import { encodeIdx, parseIdx, readIdx } from '../../src/data/idx.js';

describe('IDX files', () => {
  it('round-trips, gzipped or not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idx-'));
    const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const bytes = encodeIdx([2, 3, 4], data);
    fs.writeFileSync(path.join(dir, 'a'), bytes);
    fs.writeFileSync(path.join(dir, 'a.gz'), zlib.gzipSync(bytes));
    for (const f of ['a', 'a.gz']) {
      const r = readIdx(path.join(dir, f), 3);
      assert.deepEqual(r.dims, [2, 3, 4]);
      assert.deepEqual(Array.from(r.data), Array.from(data));
    }
  });

  it('refuses a wrong magic number, a wrong rank, a truncated payload and a corrupt gzip', () => {
    const good = encodeIdx([2, 2], Uint8Array.from([1, 2, 3, 4]));
    const wrongType = Buffer.from(good);
    wrongType[2] = 0x0d; // float, not unsigned byte
    assert.throws(() => parseIdx(wrongType, 'f.idx', 2), (e: Error) => e instanceof DataError && /f\.idx: magic number 0x00000d02.*expected 0x00000802/.test(e.message));
    assert.throws(() => parseIdx(good, 'f.idx', 3), /1 dimension|3 dimension/);
    assert.throws(() => parseIdx(good.subarray(0, good.length - 1), 'f.idx', 2), /header says 2 x 2 = 4 bytes of data, the file holds 3; .*download it again/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idx-'));
    const gz = zlib.gzipSync(good);
    fs.writeFileSync(path.join(dir, 'bad.gz'), gz.subarray(0, gz.length - 6));
    assert.throws(() => readIdx(path.join(dir, 'bad.gz'), 2), /bad\.gz: the gzip stream is corrupt/);
  });

  it('reads the committed Fashion-MNIST subset: 2048 + 1024 images in [0, 1] with classes 0..9', () => {
    const { train, test } = loadFashionMnistFixture();
    assert.equal(train.rows, 2048);
    assert.equal(test.rows, 1024);
    assert.equal(train.cols, 784);
    assert.ok(train.x.every((v) => v >= 0 && v <= 1));
    assert.deepEqual([...new Set(train.y)].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
