// `history query --runs DIR`: the store's tables as views over a folder of run folders, read
// where they lie (DuckDB's read_csv and read_text over a glob), nothing ingested. DIR may be an
// object-storage prefix (s3://bucket/runs) once DuckDB's httpfs extension and a secret are set up.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  contextSelect,
  detailsSelect,
  documentsSql,
  resultsCsvReader,
  rowsSelect,
  runsSelect,
  samplesSelect,
  SCHEMA_VERSION,
  sqlString,
} from './schema.js';
import { duckdbReason, type Store } from './store.js';
import { HistoryError } from '../errors.js';

/** A URL DuckDB reads through an extension (s3://, gs://, https://): not checked on the local disk. */
export function isRemote(dir: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(dir);
}

/** The globs the views read: DIR/<run>/results.json and so on, or DIR's own files when DIR is one run folder. */
export function runGlobs(dir: string): { json: string; csv: string; samples: string } {
  const base = dir.replace(/\/+$/, '');
  const one = !isRemote(dir) && fs.existsSync(path.join(dir, 'results.json'));
  const at = (file: string) => (one ? `${base}/${file}` : `${base}/*/${file}`);
  return { json: at('results.json'), csv: at('results.csv'), samples: at('samples.csv') };
}

function checkLocalFolder(dir: string, jsonGlob: string): void {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat?.isDirectory())
    throw new HistoryError(
      `--runs ${dir}: ${stat ? 'a file' : 'no such folder'}; give a folder ` +
        `of run folders ` +
        `(as \`modelbench run\` writes under results/)`,
    );
  const runs = jsonGlob.includes('/*/')
    ? fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'results.json')))
    : ['.'];
  if (runs.length === 0)
    throw new HistoryError(
      `--runs ${dir}: holds no run folder (no */results.json); give the ` + `folder that holds the run folders`,
    );
}

/**
 * The SQL that makes the four views (also printed in docs/history.md); `present` is the results.csv columns the files
 * have.
 */
export function viewsSql(dir: string, present: ReadonlySet<string>): string[] {
  const g = runGlobs(dir);
  const complete = 'WHERE run_id IN (SELECT run_id FROM runs)';
  return [
    `CREATE VIEW runs AS ${runsSelect(documentsSql(sqlString(g.json)))}`,
    `CREATE VIEW context AS ${contextSelect(documentsSql(sqlString(g.json)))}`,
    `CREATE VIEW rows AS SELECT * FROM (${rowsSelect(resultsCsvReader(sqlString(g.csv)), present)}) ${complete}`,
    `CREATE VIEW samples AS SELECT * FROM (${samplesSelect(sqlString(g.samples))}) ${complete}`,
    `CREATE VIEW row_details AS SELECT * FROM (${detailsSelect(sqlString(g.json))}) ${complete}`,
  ];
}

/** An in-memory database whose runs, rows, samples and context are views over DIR's run folders. */
export async function openRunsFolder(dir: string): Promise<Store> {
  const g = runGlobs(dir);
  if (!isRemote(dir)) checkLocalFolder(dir, g.json);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    const header = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${resultsCsvReader(sqlString(g.csv))}`);
    const present = new Set(header.getRowsJS().map((r) => String(r[0])));
    for (const sql of viewsSql(dir, present)) await connection.run(sql);
  } catch (e) {
    close();
    throw new HistoryError(
      `--runs ${dir}: cannot read its run folders (${duckdbReason(e)}); give ` +
        `a folder of run folders written by \`modelbench run\``,
    );
  }
  return { file: dir, connection, version: SCHEMA_VERSION, close };
}
