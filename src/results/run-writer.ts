// Writes a run's files after every row, each atomically, so an interrupted run leaves every
// finished row readable in results.csv, results.json and samples.csv.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Row } from '../types.js';
import { ensureDir, outputError, writeFilesAtomic } from './atomic-write.js';
import { OutputError } from '../errors.js';
import { RESULT_COLUMNS, SAMPLE_COLUMNS } from './columns.js';
import type { RunContext } from './context.js';

export interface RunFiles {
  readonly dir: string;
  readonly csv: string;
  readonly json: string;
  readonly samples: string;
  readonly summary: string;
}

export function resultsCsv(ctx: RunContext, rows: readonly Row[]): string {
  return stringify([
    RESULT_COLUMNS.map(([name]) => name),
    ...rows.map((r) => RESULT_COLUMNS.map(([, get]) => cellText(get(r, ctx)))),
  ]);
}

function cellText(v: string | number | boolean | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : String(v);
  return String(v);
}

export function samplesCsv(ctx: RunContext, rows: readonly Row[]): string {
  const records: (string | number)[][] = [Array.from(SAMPLE_COLUMNS)];
  for (const r of rows) {
    (r.rawSamples ?? []).forEach((ms, i) => records.push([ctx.runId, r.model, r.workload, r.size, r.backend, i, ms]));
  }
  return stringify(records);
}

/** Tries before giving up on a free run folder name (two runs started in the same millisecond). */
const MAX_ID_TRIES = 100;

/**
 * Creates the run's folder exclusively (mkdir fails if it exists: no check-then-create race between
 * two runs into the same --out), suffixing the id until a name is free. Returns the id used.
 */
export function createExclusiveDir(outDir: string, runId: string): string {
  // The id names one folder directly inside outDir: never a path that leads out of it.
  if (
    path.dirname(path.resolve(outDir, runId)) !== path.resolve(outDir) ||
    runId === '' ||
    runId === '.' ||
    runId === '..'
  ) {
    const rule = "run ids are built from the suite's name with anything but letters, digits, - and _ replaced";
    throw new OutputError(`run id '${runId}' is not a plain folder name inside ${outDir}; ${rule}`);
  }
  ensureDir(outDir);
  for (let n = 1; n <= MAX_ID_TRIES; n++) {
    const id = n === 1 ? runId : `${runId}-${n}`;
    try {
      fs.mkdirSync(path.join(outDir, id));
      return id;
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw outputError(path.join(outDir, id), e);
    }
  }
  throw outputError(path.join(outDir, runId), Object.assign(new Error('exists'), { code: 'EEXIST' }));
}

/** The human-readable summary.txt of a run: drawn by the presentation layer, handed in by the command. */
export type Summariser = (ctx: RunContext, rows: readonly Row[]) => string;

export class RunWriter {
  readonly files: RunFiles;
  private readonly rows: Row[] = [];
  private ctx: RunContext;

  /** Without a summariser the run has no summary.txt (the data files are complete without it). */
  constructor(
    outDir: string,
    context: RunContext,
    private readonly summarise?: Summariser,
  ) {
    const runId = createExclusiveDir(outDir, context.runId);
    this.ctx = { ...context, runId, complete: false };
    const dir = path.join(outDir, runId);
    this.files = {
      dir,
      csv: path.join(dir, 'results.csv'),
      json: path.join(dir, 'results.json'),
      samples: path.join(dir, 'samples.csv'),
      summary: path.join(dir, 'summary.txt'),
    };
    this.flush();
  }

  add(row: Row): void {
    this.rows.push(row);
    this.flush();
  }

  get context(): RunContext {
    return this.ctx;
  }

  all(): readonly Row[] {
    return this.rows;
  }

  /** The last row is written: the run is marked complete in every file. */
  finish(): void {
    this.ctx = { ...this.ctx, complete: true };
    this.flush();
  }

  flush(): void {
    // All four files or none: on a full disk the previous versions stay, and they agree.
    const jsonRows = this.rows.map(({ rawSamples: _omit, ...rest }) => rest);
    writeFilesAtomic([
      { file: this.files.json, content: JSON.stringify({ context: this.ctx, rows: jsonRows }, null, 2) + '\n' },
      { file: this.files.samples, content: samplesCsv(this.ctx, this.rows) },
      { file: this.files.csv, content: resultsCsv(this.ctx, this.rows) },
      ...(this.summarise ? [{ file: this.files.summary, content: this.summarise(this.ctx, this.rows) }] : []),
    ]);
  }
}
