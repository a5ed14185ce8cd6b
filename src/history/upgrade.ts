// A store written by schema version 1 brought to version 2 in place, in one transaction, the first time
// a modelbench that writes version 2 opens it for writing: the counted columns retyped from text to
// numbers, and row_details read from the run folders still where they were added from. A store is
// an index of its folders, so what a folder no longer holds cannot be recovered: it is said, not guessed.
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { COUNTED_COLUMNS, detailsDdl, detailsSelect, fileSource, rowColumnType, sqlList } from './schema.js';

async function runSources(connection: DuckDBConnection): Promise<{ id: string; json: string }[]> {
  const rows = (await connection.runAndReadAll('SELECT run_id, source FROM runs')).getRowsJS();
  return rows.map(([id, source]) => ({ id: String(id), json: path.join(String(source ?? ''), 'results.json') }));
}

/** Upgrades a version 1 store; returns the line that says what was done (and what could not be). */
export async function upgradeFromV1(connection: DuckDBConnection, file: string): Promise<string> {
  const sources = await runSources(connection);
  const found = sources.filter((s) => fs.existsSync(s.json));
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const column of COUNTED_COLUMNS) {
      const type = rowColumnType(column);
      await connection.run(
        `ALTER TABLE rows ALTER COLUMN "${column}" SET DATA TYPE ${type} USING ` +
          `TRY_CAST(NULLIF(NULLIF("${column}", ''), 'NaN') AS ${type})`,
      );
    }
    await connection.run(detailsDdl());
    if (found.length > 0) {
      const ids = sqlList(found.map((s) => s.id));
      await connection.run(
        `INSERT INTO row_details BY NAME SELECT * FROM (${detailsSelect(fileSource(found.map((s) => s.json)))}) ` +
          `WHERE run_id IN (SELECT unnest(${ids}))`,
      );
    }
    await connection.run(`INSERT INTO modelbench_schema VALUES (2, 'modelbench, upgraded from version 1')`);
    await connection.run('COMMIT');
  } catch (e) {
    await connection.run('ROLLBACK');
    throw e;
  }
  const gone = sources.length - found.length;
  return (
    `${file}: upgraded from history schema version 1 to 2 (counted columns as numbers, results.json's row ` +
    `fields in row_details)` +
    (gone > 0
      ? `; ${gone} of ${sources.length} run(s) are no longer in the folder they were added from, so row_details ` +
        `has nothing of them: add those folders into a new --store to have it`
      : '')
  );
}
