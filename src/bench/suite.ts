// Suites are data (suites/*.json); this file reads one and checks it against the registries.
import fs from 'node:fs';
import path from 'node:path';
import { SUITES_DIR } from '../layout.js';
import { MODELS, modelByName } from '../models/registry.js';
import type { SizeParams } from '../types.js';

export { SUITES_DIR };

export interface Timing {
  /** Time budget per cell in ms (tinybench `time`). */
  readonly timeMs: number;
  /** Fewest timed iterations per cell (tinybench `iterations`). */
  readonly minIterations: number;
  readonly warmupIterations: number;
  /** Cap on one cell's timed work: a slow backend (llvmpipe at 100000 x 100) takes fewer samples,
   *  never fewer than MIN_SAMPLES, instead of holding the run for minutes. */
  readonly maxCellSeconds?: number;
}

export const MIN_SAMPLES = 3;

export interface Cell {
  readonly model: string;
  readonly workload: string;
  readonly size: SizeParams;
}

export interface PeerCell extends Cell {
  readonly peer: string;
}

export interface Suite {
  readonly name: string;
  readonly description: string;
  readonly timing: Timing;
  readonly cells: readonly Cell[];
  readonly peers: readonly PeerCell[];
}

interface SuiteFile {
  name: string;
  description: string;
  timing: Timing;
  cells: { model: string; workload: string; sizes: SizeParams[] }[];
  peers?: { peer: string; model: string; workload: string; sizes: SizeParams[] }[];
}

export function listSuites(): string[] {
  return fs.readdirSync(SUITES_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
}

export function loadSuite(name: string): Suite {
  const file = path.join(SUITES_DIR, `${name}.json`);
  if (!fs.existsSync(file)) throw new Error(`unknown suite '${name}'; valid suites: ${listSuites().join(', ')}`);
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteFile;
  for (const c of raw.cells) {
    const model = modelByName(c.model);
    if (!model) throw new Error(`${file}: unknown model '${c.model}'; valid models: ${MODELS.map((m) => m.name).join(', ')}`);
    if (!model.workloads.some((w) => w.name === c.workload)) {
      throw new Error(`${file}: model '${c.model}' has no workload '${c.workload}'; it has: ${model.workloads.map((w) => w.name).join(', ')}`);
    }
  }
  return {
    name: raw.name,
    description: raw.description,
    timing: raw.timing,
    cells: raw.cells.flatMap((c) => c.sizes.map((size) => ({ model: c.model, workload: c.workload, size }))),
    peers: (raw.peers ?? []).flatMap((p) => p.sizes.map((size) => ({ peer: p.peer, model: p.model, workload: p.workload, size }))),
  };
}

/** A size as it appears in rows and is matched by compare: "rows=1000;cols=10", keys in suite order. */
export function sizeLabel(size: SizeParams): string {
  return Object.entries(size).map(([k, v]) => `${k}=${v}`).join(';');
}
