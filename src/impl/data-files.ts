// The binary files behind `load`: float64 little-endian, row-major, in a private folder the
// implementation can read (the sandbox's file system is the host's, read-only) and that is removed
// with the session.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class DataFiles {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-data-'));
  private count = 0;

  /** Writes the values (their length must match the shape) and returns the file's path. */
  write(values: Float64Array | Float32Array, shape: readonly number[]): string {
    const expected = shape.reduce((a, b) => a * b, 1);
    if (values.length < expected) throw new Error(`${values.length} values cannot fill a [${shape.join(', ')}] array`);
    const data = values instanceof Float64Array ? values.subarray(0, expected) : Float64Array.from(values.subarray(0, expected));
    const file = path.join(this.dir, `${++this.count}.f64`);
    fs.writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return file;
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
