// Reads saved runs for compare and report. A side may be one run folder, its results.json, or a
// folder of run folders (repeats of one build), whose samples are pooled per row.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { RESULTS_FORMAT_VERSION, type RunContext } from './context.js';
import { SAMPLE_COLUMNS } from './columns.js';
import { contextProblem, rowProblem } from './schema.js';
import { testbedOf } from './testbed-diff.js';
import type { Row } from '../types.js';
import { UnusableInput } from '../errors.js';

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

/**
 * A file's text, or one line saying why it cannot be read (a folder or a device where the file should be, permissions).
 */
function readText(file: string, what: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat && !stat.isFile()) {
    const kind = stat.isDirectory() ? 'a folder' : 'not a regular file';
    throw new UnusableInput(`${file}: ${kind}, not ${what}; point at a run folder written by \`modelbench run\``);
  }
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
    throw new UnusableInput(`${file}: cannot read it (${why}); check its permissions, or point at another run folder`);
  }
}

function readJson(file: string, options: LoadOptions): { context: RunContext; rows: Row[] } {
  let parsed: unknown;
  const text = readText(file, 'a results.json');
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UnusableInput(
      `${file}: not readable JSON (` +
        `${e instanceof Error ? e.message : String(e)}); point at a run folder ` +
        `written by \`modelbench run\``,
    );
  }
  const p = parsed as { context?: RunContext; rows?: Row[] };
  if (!p || typeof p !== 'object' || !p.context || !Array.isArray(p.rows)) {
    throw new UnusableInput(`${file}: expected {"context": ..., "rows": [...]} as written by \`modelbench run\``);
  }
  if (typeof p.context === 'object' && p.context.formatVersion !== RESULTS_FORMAT_VERSION) {
    throw new UnusableInput(
      `${file}: results format version ${String(p.context.formatVersion)}, ` +
        `this modelbench reads version ${RESULTS_FORMAT_VERSION}; re-run it ` +
        `with this version or compare with the modelbench that wrote it`,
    );
  }
  const problem = contextProblem(p.context);
  if (problem)
    throw new UnusableInput(
      `${file}: ${problem} (was the file edited by hand, or written by something other than \`modelbench run\`?)`,
    );
  if (p.context.complete === false && !options.allowIncomplete) {
    throw new UnusableInput(
      `${file}: run ${p.context.runId} is incomplete (it stopped, or is ` +
        `still running, after ${p.rows.length} row(s)); compare finished runs ` +
        `only: run the suite again`,
    );
  }
  const KEY_FIELDS = ['model', 'workload', 'size', 'backend'] as const;
  p.rows.forEach((r, i) => {
    const missing = KEY_FIELDS.filter((f) => typeof r?.[f] !== 'string' || r[f] === '');
    if (missing.length > 0)
      throw new UnusableInput(
        `${file}: rows[${i}] has no ${missing.join(', ')}; every row needs ` +
          `model, workload, size and backend (was the file edited by hand?)`,
      );
    const bad = rowProblem(r as unknown as Record<string, unknown>);
    if (bad) throw new UnusableInput(`${file}: rows[${i}] (${rowKey(r)}): ${bad} (was the file edited by hand?)`);
  });
  return { context: p.context, rows: p.rows };
}

function readSamples(file: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (!fs.existsSync(file)) {
    throw new UnusableInput(
      `${file}: missing; the raw timing samples that \`modelbench run\` ` +
        `writes beside results.json are needed to compare or chart a run`,
    );
  }
  let records: Record<string, string>[];
  try {
    records = parse(readText(file, 'a samples.csv'), { columns: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[];
  } catch (e) {
    if (e instanceof UnusableInput) throw e;
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new UnusableInput(
      `${file}: not readable CSV (${why}); it is written by \`modelbench ` +
        `run\`: run the suite again, or restore the file`,
    );
  }
  const header = records.length > 0 ? Object.keys(records[0]) : [...SAMPLE_COLUMNS];
  const missing = SAMPLE_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new UnusableInput(`${file}: missing column(s) ${missing.join(', ')}; expected ${SAMPLE_COLUMNS.join(', ')}`);
  records.forEach((r, i) => {
    const ms = Number(r.ms);
    if (!Number.isFinite(ms) || ms < 0)
      throw new UnusableInput(`${file}: line ${i + 2}, column 'ms': '${r.ms}' is not a non-negative number`);
    const key = rowKey({ model: r.model, workload: r.workload, size: r.size, backend: r.backend });
    const list = out.get(key) ?? [];
    list.push(ms);
    out.set(key, list);
  });
  return out;
}

export function loadRun(target: string, options: LoadOptions = {}): LoadedRun {
  const file =
    target.endsWith('.json') && !fs.statSync(target, { throwIfNoEntry: false })?.isDirectory()
      ? target
      : path.join(target, 'results.json');
  if (!fs.existsSync(file))
    throw new UnusableInput(`${file}: not found; give a run folder (results/<run-id>) or its results.json`);
  const dir = path.dirname(file);
  const { context, rows } = readJson(file, options);
  const samples = readSamples(path.join(dir, 'samples.csv'));
  for (const r of rows) r.rawSamples = samples.get(rowKey(r)) ?? [];
  return { dir, context, rows };
}

/** One run, or every run folder directly inside `target` (repeats of one build, pooled by the caller). */
export function loadSide(target: string, options: LoadOptions = {}): LoadedRun[] {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat)
    throw new UnusableInput(`${target}: not found; give a run folder, its results.json, or a folder of run folders`);
  if (stat.isFile()) {
    if (target.endsWith('.json')) return [loadRun(target, options)];
    const holder = path.dirname(target);
    throw new UnusableInput(
      `${target}: a file, not a run folder; give the run folder that holds ` +
        `it (${holder}), its results.json, or a folder of run folders`,
    );
  }
  if (!stat.isDirectory())
    throw new UnusableInput(
      `${target}: neither a file nor a folder; give a run folder, its results.json, or a folder of run folders`,
    );
  if (fs.existsSync(path.join(target, 'results.json'))) return [loadRun(target, options)];
  const runs = fs
    .readdirSync(target)
    .map((d) => path.join(target, d))
    .filter(
      (d) => fs.statSync(d, { throwIfNoEntry: false })?.isDirectory() && fs.existsSync(path.join(d, 'results.json')),
    )
    .sort();
  if (runs.length === 0)
    throw new UnusableInput(
      `${target}: holds no results.json, directly or in a subfolder; give a run folder written by \`modelbench run\``,
    );
  const loaded = runs.map((r) => loadRun(r, options));
  if (!options.allowMixed) assertRepeatsOfOneSetup(target, loaded);
  return loaded;
}

/** Runs pooled as repeats must come from one machine and one suite: otherwise pooling mixes two questions. */
function assertRepeatsOfOneSetup(target: string, runs: readonly LoadedRun[]): void {
  const machine = (r: LoadedRun) => `${r.context.host} (${r.context.cpuModel} x${r.context.cpuCores})`;
  // Testbeds too: one host name can hide two machines (issue 34: two VMs called vm, one with AVX-512).
  const testbed = (r: LoadedRun) => testbedOf(r.context);
  for (const [what, of] of [
    ['machines', machine],
    ['testbeds', testbed],
    ['suites', (r: LoadedRun) => r.context.suite],
  ] as const) {
    const seen = [...new Set(runs.map(of))];
    if (seen.length > 1)
      throw new UnusableInput(
        `${target}: its runs come from different ${what} (${seen.join('; ')}), ` +
          `so they are not repeats of one build; give one folder per ` +
          `${what.slice(0, -1)} (modelbench report compares machines)`,
      );
  }
}
