// Writes a run's files after every row, each atomically, so an interrupted run leaves every
// finished row readable in results.csv, results.json and samples.csv.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Row } from '../types.js';
import { writeFileAtomic } from './atomic-write.js';
import { RESULT_COLUMNS, SAMPLE_COLUMNS } from './columns.js';
import type { RunContext } from './context.js';
import { summaryText } from './summary.js';

export interface RunFiles {
  readonly dir: string;
  readonly csv: string;
  readonly json: string;
  readonly samples: string;
  readonly summary: string;
}

export function resultsCsv(ctx: RunContext, rows: readonly Row[]): string {
  return stringify([RESULT_COLUMNS.map(([name]) => name), ...rows.map((r) => RESULT_COLUMNS.map(([, get]) => cellText(get(r, ctx))))]);
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

export class RunWriter {
  readonly files: RunFiles;
  private readonly rows: Row[] = [];

  constructor(
    outDir: string,
    readonly context: RunContext,
  ) {
    const dir = path.join(outDir, context.runId);
    if (fs.existsSync(dir)) throw new Error(`${dir} already exists; results are never overwritten (choose another --out)`);
    fs.mkdirSync(dir, { recursive: true });
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

  all(): readonly Row[] {
    return this.rows;
  }

  flush(): void {
    // JSON and samples first: a reader of results.csv then always finds its rows in the other two.
    const jsonRows = this.rows.map(({ rawSamples: _omit, ...rest }) => rest);
    writeFileAtomic(this.files.json, JSON.stringify({ context: this.context, rows: jsonRows }, null, 2) + '\n');
    writeFileAtomic(this.files.samples, samplesCsv(this.context, this.rows));
    writeFileAtomic(this.files.csv, resultsCsv(this.context, this.rows));
    writeFileAtomic(this.files.summary, summaryText(this.context, this.rows));
  }
}
