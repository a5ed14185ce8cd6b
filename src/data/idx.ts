// Reads the IDX format of MNIST and Fashion-MNIST (gzipped or not), checking the magic number, the
// element type and that the header's sizes match the payload, so a truncated download is refused.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { DataError } from '../errors.js';

export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

export function readIdx(file: string, expectedRank: number): IdxArray {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new DataError(
      `${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)}); check the path`,
    );
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (e) {
      throw new DataError(
        `${file}: the gzip stream is corrupt (` +
          `${e instanceof Error ? e.message : String(e)}); download or reinstall ` +
          `the file`,
      );
    }
  }
  return parseIdx(bytes, file, expectedRank);
}

export function parseIdx(bytes: Uint8Array, file: string, expectedRank: number): IdxArray {
  if (bytes.length < 4)
    throw new DataError(`${file}: ${bytes.length} bytes is shorter than an IDX header; the file is truncated`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = (magic >>> 8) & 0xff;
  const rank = magic & 0xff;
  if (magic >>> 16 !== 0 || type !== UNSIGNED_BYTE || rank !== expectedRank) {
    const want = (UNSIGNED_BYTE << 8) | expectedRank;
    throw new DataError(
      `${file}: magic number 0x${magic.toString(16).padStart(8, '0')} is not ` +
        `an IDX file of unsigned bytes with ${expectedRank} dimension(s) ` +
        `(expected 0x${want.toString(16).padStart(8, '0')}); is this the right ` +
        `file?`,
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes)
    throw new DataError(
      `${file}: the header needs ${headerBytes} bytes, the file has ${bytes.length}; the file is truncated`,
    );
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - headerBytes !== size) {
    throw new DataError(
      `${file}: the header says ${dims.join(' x ')} = ${size} bytes of data, ` +
        `the file holds ${bytes.length - headerBytes}; the file is truncated ` +
        `or padded — download it again`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Writes an IDX file of unsigned bytes (used to cut the committed fixture from the full set). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE((UNSIGNED_BYTE << 8) | dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}
