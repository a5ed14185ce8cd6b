// libsvm's sparse text format, for the libsvm and liblinear command-line peers, and their model files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function writeLibsvmFile(file: string, x: Float64Array, t: Float64Array, rows: number, cols: number): void {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const feats: string[] = [];
    for (let k = 0; k < cols; k++) {
      const v = x[i * cols + k];
      if (v !== 0) feats.push(`${k + 1}:${v}`);
    }
    lines.push(`${t[i] > 0 ? '+1' : '-1'} ${feats.join(' ')}`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** Writes the data in libsvm format to a fresh folder, hands `fn` the data and model paths, then cleans up. */
export async function withLibsvmFiles<T>(x: Float64Array, t: Float64Array, rows: number, cols: number, fn: (dataFile: string, modelFile: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-peer-'));
  try {
    const dataFile = path.join(dir, 'train.svm');
    writeLibsvmFile(dataFile, x, t, rows, cols);
    return await fn(dataFile, path.join(dir, 'train.model'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface LibsvmModel {
  /** Orientation: +1 when positive decision values mean label +1. */
  readonly sign: number;
  readonly rho: number;
  readonly gamma?: number;
  /** Support vectors, dense, and their coefficients t_i alpha_i (in libsvm's label orientation). */
  readonly sv: Float64Array[];
  readonly coef: number[];
}

function parseDense(parts: readonly string[], cols: number): Float64Array {
  const v = new Float64Array(cols);
  for (const p of parts) {
    const [k, val] = p.split(':');
    v[Number(k) - 1] = Number(val);
  }
  return v;
}

export function readLibsvmModel(file: string, cols: number): LibsvmModel {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let rho = 0;
  let gamma: number | undefined;
  let labels: number[] = [];
  let i = 0;
  for (; i < lines.length && lines[i].trim() !== 'SV'; i++) {
    const [key, ...rest] = lines[i].trim().split(/\s+/);
    if (key === 'rho') rho = Number(rest[0]);
    if (key === 'gamma') gamma = Number(rest[0]);
    if (key === 'label') labels = rest.map(Number);
  }
  const sv: Float64Array[] = [];
  const coef: number[] = [];
  for (i++; i < lines.length; i++) {
    const parts = lines[i].trim().split(/\s+/).filter(Boolean);
    if (parts.length === 0) continue;
    coef.push(Number(parts[0]));
    sv.push(parseDense(parts.slice(1), cols));
  }
  return { sign: labels[0] === 1 ? 1 : -1, rho, gamma, sv, coef };
}

export interface LiblinearModel {
  readonly weights: Float64Array;
  readonly bias: number;
}

/** liblinear's model: w on d (+1 with -B) lines after "w"; oriented so that w.x + b > 0 means +1. */
export function readLiblinearModel(file: string, cols: number): LiblinearModel {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let labels: number[] = [];
  let biasScale = -1;
  let i = 0;
  for (; i < lines.length && lines[i].trim() !== 'w'; i++) {
    const [key, ...rest] = lines[i].trim().split(/\s+/);
    if (key === 'label') labels = rest.map(Number);
    if (key === 'bias') biasScale = Number(rest[0]);
  }
  const values = lines.slice(i + 1).map((l) => l.trim()).filter(Boolean).map(Number);
  const sign = labels[0] === 1 ? 1 : -1;
  const weights = Float64Array.from(values.slice(0, cols), (v) => sign * v);
  const bias = biasScale > 0 ? sign * values[cols] * biasScale : 0;
  return { weights, bias };
}
