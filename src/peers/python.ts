// Running a Python peer: Debian's interpreter (not a pyenv one on PATH), data passed as a binary file.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Debian's python3, where python3-sklearn and python3-torch live; MODELBENCH_PYTHON overrides. */
export const PEER_PYTHON = process.env.MODELBENCH_PYTHON ?? '/usr/bin/python3';
const PEER_TIMEOUT_MS = 30 * 60 * 1000;

export function writeFloat64File(parts: readonly Float64Array[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-peer-'));
  const file = path.join(dir, 'data.f64');
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Float64Array(total);
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  fs.writeFileSync(file, Buffer.from(all.buffer));
  return file;
}

export function runPython(script: string, args: readonly string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    if (!fs.existsSync(PEER_PYTHON)) {
      resolve({ unavailable: `${PEER_PYTHON} not found (apt-get install python3 python3-sklearn, or set MODELBENCH_PYTHON)` });
      return;
    }
    execFile(PEER_PYTHON, [script, ...args], { timeout: PEER_TIMEOUT_MS, maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${path.basename(script)} failed: ${stderr.trim().split('\n').slice(-2).join(' | ') || error.message}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>);
      } catch {
        reject(new Error(`${path.basename(script)} printed no JSON: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

/** A peer's trained parameters, written as one float64 file in the order given; refuses a file of the wrong length. */
export function readFloat64Parameters(file: string, parts: readonly { name: string; size: number }[], writer: string): Record<string, Float64Array> {
  const raw = fs.readFileSync(file);
  const all = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
  const expected = parts.reduce((n, p) => n + p.size, 0);
  if (all.length !== expected) throw new Error(`${writer} wrote ${all.length} parameters, the network has ${expected}`);
  const out: Record<string, Float64Array> = {};
  let offset = 0;
  for (const p of parts) out[p.name] = all.slice(offset, (offset += p.size));
  return out;
}
