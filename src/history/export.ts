// `history export --parquet DIR`: one Parquet file per table, for tools that read Parquet (pandas,
// Polars, Spark, DuckDB elsewhere) without modelbench.
import fs from 'node:fs';
import path from 'node:path';
import { sqlString, TABLES } from './schema.js';
import { duckdbReason, type Store } from './store.js';
import { HistoryError } from '../errors.js';

export async function exportParquet(
  store: Store,
  dir: string,
): Promise<{ table: string; file: string; rows: number }[]> {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory())
    throw new HistoryError(
      `--parquet ${dir}: a file, not a folder; give a folder to write ` +
        `${TABLES.map((t) => `${t}.parquet`).join(', ')} into`,
    );
  fs.mkdirSync(dir, { recursive: true });
  const out: { table: string; file: string; rows: number }[] = [];
  // A version 1 store, opened to read, has no row_details.
  for (const table of TABLES.filter((t) => t !== 'row_details' || store.version >= 2)) {
    const file = path.join(dir, `${table}.parquet`);
    const partial = `${file}.partial`;
    try {
      // Written beside and renamed: a reader never sees half a file.
      const reader = await store.connection.runAndReadAll(
        `COPY (SELECT * FROM ${table}) TO ${sqlString(partial)} (FORMAT parquet)`,
      );
      fs.renameSync(partial, file);
      out.push({ table, file, rows: Number(reader.getRowsJS()[0]?.[0] ?? 0) });
    } catch (e) {
      fs.rmSync(partial, { force: true });
      throw new HistoryError(
        `--parquet ${dir}: cannot write ${file} (${duckdbReason(e)}); give a ` + `folder you can write to`,
      );
    }
  }
  return out;
}
