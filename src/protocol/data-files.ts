// The binary files behind `load`: float64 little-endian, row-major, in the implementation's data
// folder (which the sandbox shows it read-only), removed with the session.
import fs from 'node:fs';
import path from 'node:path';

export class DataFiles {
  private count = 0;

  constructor(private readonly dir: string) {}

  /** Writes the values (their length must match the shape) and returns the file's path. */
  write(values: Float64Array | Float32Array, shape: readonly number[]): string {
    const expected = shape.reduce((a, b) => a * b, 1);
    if (values.length < expected) throw new Error(`${values.length} values cannot fill a [${shape.join(', ')}] array`);
    const data =
      values instanceof Float64Array ? values.subarray(0, expected) : Float64Array.from(values.subarray(0, expected));
    const file = path.join(this.dir, `${++this.count}.f64`);
    fs.writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return file;
  }

  dispose(): void {
    for (let k = 1; k <= this.count; k++) fs.rmSync(path.join(this.dir, `${k}.f64`), { force: true });
  }
}
