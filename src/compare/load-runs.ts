// Reads saved runs for compare and report. A side may be one run folder, its results.json, or a
// folder of run folders (repeats of one build), whose samples are pooled per row.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { RESULTS_FORMAT_VERSION, type RunContext } from '../report/context.js';
import { SAMPLE_COLUMNS } from '../report/columns.js';
import type { Row } from '../types.js';

/** Input that cannot be compared: exit code 2, with the file and the fix. */
export class UnusableInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnusableInput';
  }
}

export interface LoadedRun {
  readonly dir: string;
  readonly context: RunContext;
  readonly rows: Row[];
}

export function rowKey(r: Pick<Row, 'model' | 'workload' | 'size' | 'backend'>): string {
  return `${r.model}/${r.workload}/${r.size}/${r.backend}`;
}

/** What a reader accepts: compare judges finished runs only; report shows incomplete ones, marked. */
export interface LoadOptions {
  readonly allowIncomplete?: boolean;
  /** A folder of runs from many machines or suites (a report's input), not repeats of one build. */
  readonly allowMixed?: boolean;
}

function readJson(file: string, options: LoadOptions): { context: RunContext; rows: Row[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UnusableInput(`${file}: not readable JSON (${e instanceof Error ? e.message : String(e)}); point at a run folder written by \`modelbench run\``);
  }
  const p = parsed as { context?: RunContext; rows?: Row[] };
  if (!p || typeof p !== 'object' || !p.context || !Array.isArray(p.rows)) {
    throw new UnusableInput(`${file}: expected {"context": ..., "rows": [...]} as written by \`modelbench run\``);
  }
  if (p.context.formatVersion !== RESULTS_FORMAT_VERSION) {
    throw new UnusableInput(
      `${file}: results format version ${String(p.context.formatVersion)}, this modelbench reads version ${RESULTS_FORMAT_VERSION}; re-run it with this version or compare with the modelbench that wrote it`,
    );
  }
  if (p.context.complete === false && !options.allowIncomplete) {
    throw new UnusableInput(`${file}: run ${p.context.runId} is incomplete (it stopped, or is still running, after ${p.rows.length} row(s)); compare finished runs only: run the suite again`);
  }
  const KEY_FIELDS = ['model', 'workload', 'size', 'backend'] as const;
  p.rows.forEach((r, i) => {
    const missing = KEY_FIELDS.filter((f) => typeof r?.[f] !== 'string' || r[f] === '');
    if (missing.length > 0) throw new UnusableInput(`${file}: rows[${i}] has no ${missing.join(', ')}; every row needs model, workload, size and backend (was the file edited by hand?)`);
  });
  return { context: p.context, rows: p.rows };
}

function readSamples(file: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (!fs.existsSync(file)) throw new UnusableInput(`${file}: missing; the speed gate needs the raw samples that \`modelbench run\` writes beside results.json`);
  const records = parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const header = records.length > 0 ? Object.keys(records[0]) : [...SAMPLE_COLUMNS];
  const missing = SAMPLE_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new UnusableInput(`${file}: missing column(s) ${missing.join(', ')}; expected ${SAMPLE_COLUMNS.join(', ')}`);
  records.forEach((r, i) => {
    const ms = Number(r.ms);
    if (!Number.isFinite(ms) || ms < 0) throw new UnusableInput(`${file}: line ${i + 2}, column 'ms': '${r.ms}' is not a non-negative number`);
    const key = rowKey({ model: r.model, workload: r.workload, size: r.size, backend: r.backend });
    const list = out.get(key) ?? [];
    list.push(ms);
    out.set(key, list);
  });
  return out;
}

export function loadRun(target: string, options: LoadOptions = {}): LoadedRun {
  const file = target.endsWith('.json') ? target : path.join(target, 'results.json');
  if (!fs.existsSync(file)) throw new UnusableInput(`${file}: not found; give a run folder (results/<run-id>) or its results.json`);
  const dir = path.dirname(file);
  const { context, rows } = readJson(file, options);
  const samples = readSamples(path.join(dir, 'samples.csv'));
  for (const r of rows) r.rawSamples = samples.get(rowKey(r)) ?? [];
  return { dir, context, rows };
}

/** One run, or every run folder directly inside `target` (repeats of one build, pooled by the caller). */
export function loadSide(target: string, options: LoadOptions = {}): LoadedRun[] {
  if (!fs.existsSync(target)) throw new UnusableInput(`${target}: not found; give a run folder, its results.json, or a folder of run folders`);
  if (target.endsWith('.json') || fs.existsSync(path.join(target, 'results.json'))) return [loadRun(target, options)];
  const runs = fs
    .readdirSync(target)
    .map((d) => path.join(target, d))
    .filter((d) => fs.existsSync(path.join(d, 'results.json')))
    .sort();
  if (runs.length === 0) throw new UnusableInput(`${target}: holds no results.json, directly or in a subfolder; give a run folder written by \`modelbench run\``);
  const loaded = runs.map((r) => loadRun(r, options));
  if (!options.allowMixed) assertRepeatsOfOneSetup(target, loaded);
  return loaded;
}

/** Runs pooled as repeats must come from one machine and one suite: otherwise pooling mixes two questions. */
function assertRepeatsOfOneSetup(target: string, runs: readonly LoadedRun[]): void {
  const machine = (r: LoadedRun) => `${r.context.host} (${r.context.cpuModel} x${r.context.cpuCores})`;
  for (const [what, of] of [['machines', machine], ['suites', (r: LoadedRun) => r.context.suite]] as const) {
    const seen = [...new Set(runs.map(of))];
    if (seen.length > 1) throw new UnusableInput(`${target}: its runs come from different ${what} (${seen.join('; ')}), so they are not repeats of one build; give one folder per ${what === 'machines' ? 'machine' : 'suite'} (modelbench report compares machines)`);
  }
}
