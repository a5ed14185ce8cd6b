// `history add`: run folders into the store. Each results.json is read and checked in JS by the rules
// compare and report use (run-files.ts); DuckDB then reads the folder's files where they lie, through
// the SELECTs the folder mode's views use, so a store and its folders answer alike. What results.csv
// and samples.csv must agree with results.json is checked in SQL before the transaction commits.
import path from 'node:path';
import {
  contextSelect,
  detailsSelect,
  fileSource,
  resultsCsvReader,
  rowsSelect,
  runsSelect,
  sampleListsSelect,
  sqlList,
} from './schema.js';
import { csvHeader, readRunFiles, runFolders, type RunFiles } from './run-files.js';
import { duckdbReason, type Store } from './store.js';
import { HistoryError } from '../errors.js';

export interface AddOptions {
  /** Leave incomplete runs out (each said) instead of refusing the whole command. */
  readonly skipIncomplete?: boolean;
}

export interface AddOutcome {
  readonly added: readonly { runId: string; rows: number; samples: number }[];
  readonly already: readonly string[];
  readonly skipped: readonly string[];
}

function incompleteReason(run: RunFiles): string {
  return (
    `${run.dir}: run ${run.context.runId} is incomplete (results.json says ` +
    `"complete": false after ${run.rows.length} row(s): it stopped, ` +
    `or is still running)`
  );
}

/** Every run named, read and checked; the first unusable one refuses the command before the store is touched. */
export function checkRuns(targets: readonly string[], options: AddOptions): { runs: RunFiles[]; skipped: string[] } {
  const runs: RunFiles[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const dir of targets.flatMap(runFolders)) {
    const run = readRunFiles(dir);
    if (run.context.complete === false) {
      if (!options.skipIncomplete)
        throw new HistoryError(
          `${incompleteReason(run)}; history keeps finished runs only: ` +
            `let it finish or run the suite again, or pass --skip-incomplete`,
        );
      skipped.push(incompleteReason(run));
    } else if (!seen.has(run.context.runId)) {
      seen.add(run.context.runId);
      runs.push(run);
    }
  }
  return { runs, skipped };
}

async function storedIds(store: Store, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const reader = await store.connection.runAndReadAll(
    `SELECT run_id FROM runs WHERE run_id IN (SELECT unnest(${sqlList(ids)}))`,
  );
  return new Set(reader.getRowsJS().map((r) => String(r[0])));
}

const files = (runs: readonly RunFiles[], name: string) => fileSource(runs.map((r) => path.join(r.dir, name)));
const idsOf = (runs: readonly RunFiles[]) => `(SELECT unnest(${sqlList(runs.map((r) => r.context.runId))}))`;

/**
 * The documents relation runsSelect and contextSelect read, from the contexts already parsed here (DuckDB would parse
 * every results.json twice more).
 */
function documentsOf(runs: readonly RunFiles[]): string {
  const list = (items: readonly string[]) => sqlList(items);
  return (
    `SELECT unnest(${list(runs.map((r) => path.join(r.dir, 'results.json')))}) AS filename, ` +
    `CAST(unnest(${list(runs.map((r) => JSON.stringify(r.context)))}) AS JSON) AS ctx,
    unnest([${runs.map((r) => r.rows.length).join(', ')}]) AS row_count`
  );
}

async function insertRuns(store: Store, runs: readonly RunFiles[]): Promise<void> {
  const c = store.connection;
  await c.run(`INSERT INTO runs BY NAME ${runsSelect(documentsOf(runs))}`);
  await c.run(`INSERT INTO context BY NAME ${contextSelect(documentsOf(runs))}`);
  // One read per header: a run written before a column was appended lacks it (NULL in the store).
  const byHeader = new Map<string, RunFiles[]>();
  for (const r of runs) byHeader.set(csvHeader(r.dir), [...(byHeader.get(csvHeader(r.dir)) ?? []), r]);
  for (const [header, group] of byHeader) {
    const columns = header.split(',');
    await c.run(
      `INSERT INTO rows BY NAME SELECT * FROM ` +
        (`(` +
          `${rowsSelect(resultsCsvReader(files(group, 'results.csv'), columns), new Set(columns))}` +
          `) WHERE run_id IN ${idsOf(group)}`),
    );
  }
  await c.run(
    `INSERT INTO row_details BY NAME SELECT * FROM (${detailsSelect(files(runs, 'results.json'))}) ` +
      `WHERE run_id IN ${idsOf(runs)}`,
  );
  await c.run(
    `INSERT INTO sample_lists BY NAME SELECT * FROM (` +
      `${sampleListsSelect(files(runs, 'samples.csv'))}) WHERE run_id IN ` +
      `${idsOf(runs)}`,
  );
}

/**
 * The rows results.json has and results.csv has not, or the other way round (a multiset difference on what identifies
 * and sums up a row).
 */
function disagreementSql(runs: readonly RunFiles[]): string {
  const cols = 'run_id, model, workload, size, backend, status, samples, median_ms';
  const fromJson = `SELECT run_id, r->>'model' AS model, r->>'workload' AS workload, r->>'size' AS size,
      r->>'backend' AS backend, r->>'status' AS status,
      TRY_CAST(r->>'samples' AS INTEGER) AS samples, TRY_CAST(r->>'medianMs' AS DOUBLE) AS median_ms
    FROM (SELECT json_extract_string(content, '$.context.runId') AS run_id, unnest(json_extract(content,
      '$.rows[*]')) AS r
      FROM read_text(${files(runs, 'results.json')}))`;
  // JSON has no infinity (it writes null where results.csv writes Infinity): both are "no finite median".
  const fromCsv =
    `SELECT ` +
    `${cols.replace('median_ms', 'CASE WHEN isfinite(median_ms) THEN median_ms END AS median_ms')}` +
    ` FROM rows WHERE run_id IN ${idsOf(runs)}`;
  return `WITH j AS (${fromJson}), c AS (${fromCsv})
    SELECT * FROM ((SELECT 'results.json' AS side, * FROM (SELECT * FROM j EXCEPT ALL SELECT * FROM c))
      UNION ALL (SELECT 'results.csv' AS side, * FROM (SELECT * FROM c EXCEPT ALL SELECT * FROM j))) LIMIT 1`;
}

/** Rows whose samples.csv lines are not as many as the row says it timed, or are not times; and lines of no row. */
function samplesProblemSql(runs: readonly RunFiles[]): string {
  const ids = idsOf(runs);
  const lists = `SELECT run_id, model, workload, size, backend, len(ms) AS n, len(list_filter(ms, x -> NOT (x >= 0
      AND isfinite(x)))) AS bad
    FROM sample_lists WHERE run_id IN ${ids}`;
  return `SELECT run_id, model || '/' || workload || '/' || size || '/' || backend, coalesce(r.samples, 0),
      coalesce(s.n, 0), coalesce(s.bad, 0)
    FROM (SELECT * FROM rows WHERE run_id IN ${ids}) r FULL JOIN (${lists}) s USING (run_id, model, workload, size,
      backend)
    WHERE coalesce(r.samples, 0) <> coalesce(s.n, 0) OR coalesce(s.bad, 0) > 0 LIMIT 1`;
}

async function verify(store: Store, runs: readonly RunFiles[]): Promise<void> {
  const dirOf = (id: unknown) => runs.find((r) => r.context.runId === id)?.dir ?? String(id);
  const [row] = (await store.connection.runAndReadAll(disagreementSql(runs))).getRowsJS();
  if (row) {
    const [side, id, model, workload, size, backend, status, samples, median] = row;
    const other = side === 'results.json' ? 'results.csv' : 'results.json';
    throw new HistoryError(
      `${dirOf(id)}: results.json and results.csv disagree: ${side} has a ` +
        `row ${model}/${workload}/${size}/${backend} (${status}, ` +
        (`${samples} samples, median ${median} ms) that ${other} has not; the ` +
          `folder was edited or mixed from two runs: restore it, or re-run the ` +
          `suite`),
    );
  }
  const [bad] = (await store.connection.runAndReadAll(samplesProblemSql(runs))).getRowsJS();
  if (bad) {
    const [id, key, said, lines, notTimes] = bad;
    const what =
      Number(notTimes) > 0
        ? `${notTimes} of its samples are not times (negative or not finite)`
        : `results.csv says ${said} samples, ` + `samples.csv has ${lines} line(s) of this run`;
    throw new HistoryError(
      `${dirOf(id)}: row ${key}: ${what}; the folder was edited, renamed or ` +
        `mixed from two runs: restore it, or re-run the suite`,
    );
  }
}

/** Adds the runs not yet stored, all in one transaction: a refused run leaves the store as it was. */
export async function addRuns(store: Store, targets: readonly string[], options: AddOptions = {}): Promise<AddOutcome> {
  const { runs, skipped } = checkRuns(targets, options);
  const already = await storedIds(
    store,
    runs.map((r) => r.context.runId),
  );
  const fresh = runs.filter((r) => !already.has(r.context.runId));
  if (fresh.length > 0) {
    await store.connection.run('BEGIN TRANSACTION');
    try {
      await insertRuns(store, fresh);
      await verify(store, fresh);
      await store.connection.run('COMMIT');
    } catch (e) {
      await store.connection.run('ROLLBACK');
      if (e instanceof HistoryError) throw e;
      throw new HistoryError(
        `${store.file}: nothing added: DuckDB could not read the runs' files (` +
          `${duckdbReason(e)}); restore the run folder it names, ` +
          `or add the others`,
      );
    }
  }
  const samples = (r: RunFiles) => r.rows.reduce((n, row) => n + (row.samples ?? 0), 0);
  return {
    added: fresh.map((r) => ({ runId: r.context.runId, rows: r.rows.length, samples: samples(r) })),
    already: [...already],
    skipped,
  };
}
