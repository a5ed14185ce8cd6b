// The run folders a `history add` names, and each one's results.json checked by the same field rules
// compare and report read it with (report/results-schema.ts). Its CSVs are left to DuckDB: the loader
// (compare/load-runs.ts) parses samples.csv in JS, 2.5 s per 100 runs of 5,000 samples here, most of
// the 30 s that 1,000 runs may take; DuckDB reads them in about a second, and the store's checks of
// them (a count per row, every sample a time) are SQL (ingest.ts).
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_FORMAT_VERSION, type RunContext } from '../results/context.js';
import { contextProblem, rowProblem } from '../results/schema.js';
import type { Row } from '../types.js';
import { HistoryError } from '../errors.js';

export interface RunFiles {
  readonly dir: string;
  readonly context: RunContext;
  readonly rows: readonly Row[];
}

const KEY_FIELDS = ['model', 'workload', 'size', 'backend'] as const;

/** A run folder, its results.json, or every run folder directly inside a folder of them. */
export function runFolders(target: string): string[] {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat)
    throw new HistoryError(
      `${target}: not found; give a run folder, its results.json, or a ` + `folder of run folders`,
    );
  if (stat.isFile()) {
    if (path.basename(target) === 'results.json') return [path.dirname(target)];
    throw new HistoryError(
      `${target}: a file, not a run folder; give the run folder that holds ` + `it, or a folder of run folders`,
    );
  }
  if (!stat.isDirectory())
    throw new HistoryError(`${target}: neither a file nor a folder; give a run folder or a folder ` + `of run folders`);
  if (fs.existsSync(path.join(target, 'results.json'))) return [target];
  const runs = fs
    .readdirSync(target)
    .sort()
    .map((d) => path.join(target, d))
    .filter((d) => fs.existsSync(path.join(d, 'results.json')));
  if (runs.length === 0)
    throw new HistoryError(
      `${target}: holds no results.json, directly or in a subfolder; ` +
        `give a run folder written by \`modelbench run\`, or the folder that holds them`,
    );
  return runs;
}

function problemOf(parsed: unknown): string | undefined {
  const p = parsed as { context?: RunContext; rows?: unknown[] };
  if (!p || typeof p !== 'object' || !p.context || !Array.isArray(p.rows))
    return 'expected {"context": ..., "rows": [...]} as written by `modelbench run`';
  if (p.context.formatVersion !== RESULTS_FORMAT_VERSION)
    return (
      `results format version ${String(p.context.formatVersion)}, ` +
      `this modelbench reads version ${RESULTS_FORMAT_VERSION}`
    );
  const context = contextProblem(p.context);
  if (context) return context;
  for (const [i, r] of p.rows.entries()) {
    const row = r as Record<string, unknown>;
    const missing = KEY_FIELDS.filter((f) => typeof row?.[f] !== 'string' || row[f] === '');
    if (missing.length > 0) return `rows[${i}] has no ${missing.join(', ')}`;
    const bad = rowProblem(row);
    if (bad) return `rows[${i}]: ${bad}`;
  }
  return undefined;
}

export function readRunFiles(dir: string): RunFiles {
  const file = path.join(dir, 'results.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new HistoryError(
      `${file}: not readable JSON (` +
        `${e instanceof Error ? e.message.split('\n')[0] : String(e)}); ` +
        `restore it, or re-run the suite`,
    );
  }
  const problem = problemOf(parsed);
  if (problem)
    throw new HistoryError(
      `${file}: ${problem}; was it edited by hand, or written by another ` +
        `modelbench? restore it, or re-run the suite`,
    );
  for (const name of ['results.csv', 'samples.csv']) {
    if (!fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.isFile()) {
      throw new HistoryError(
        `${path.join(dir, name)}: missing; a run folder written by ` +
          `\`modelbench run\` has it beside results.json: restore it, ` +
          `or re-run the suite`,
      );
    }
  }
  const p = parsed as { context: RunContext; rows: Row[] };
  return { dir, context: p.context, rows: p.rows };
}

/** results.csv's header line: which columns its run was written with (columns are only ever appended). */
export function csvHeader(dir: string): string {
  const fd = fs.openSync(path.join(dir, 'results.csv'), 'r');
  try {
    const buf = Buffer.alloc(8192);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split(/\r?\n/)[0].trim();
  } finally {
    fs.closeSync(fd);
  }
}
