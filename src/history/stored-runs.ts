// Runs read back from the store as compare reads run folders (results/load-runs.ts): the context as
// results.json had it, each row from its results.csv line with the fields only results.json has
// (row_details: declared expected failures, paired bursts, each counted process's estimate), its
// samples in order. A version 1 store opened to read has no row_details: its rows come without them.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RunContext } from '../results/context.js';
import type { LoadedRun } from '../results/load-runs.js';
import { rowKey } from '../results/load-runs.js';
import type { Row } from '../types.js';
import { COUNTED_COLUMNS, DETAIL_COLUMNS, ROW_COLUMNS, sqlList } from './schema.js';
import { duckdbReason } from './store.js';
import { HistoryError } from '../errors.js';

/** results.csv columns that repeat the run's context on every line: not fields of a row. */
const CONTEXT_COLUMNS = new Set([
  'run_id',
  'timestamp',
  'suite',
  'seed_base',
  'git_sha',
  'git_dirty',
  'host',
  'cpu_model',
  'cpu_cores',
  'memory_gib',
  'os',
  'node_version',
  'tfjs_version',
  'tinybench_version',
  'modelbench_version',
  'testbed',
  'testbed_hash',
]);

/** A results.csv column's Row field: its name in camelCase (rme_pct: rmePct, l1_misses_per_call: l1MissesPerCall). */
export function rowField(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Counted columns a version 1 store keeps as text, as results.csv has them: numbers in a Row (read back
 * as text, the counted gate would see spans of '64' and 64 as different). The cast is a no-op on version 2.
 */
const COUNTED_NUMBERS: ReadonlySet<string> = new Set(COUNTED_COLUMNS);

const selected = (column: string) =>
  COUNTED_NUMBERS.has(column) ? `TRY_CAST(NULLIF(CAST("${column}" AS VARCHAR), 'NaN') AS DOUBLE)` : `"${column}"`;

export const ROW_FIELDS: readonly (readonly [string, string])[] = ROW_COLUMNS.filter(
  ([n]) => !CONTEXT_COLUMNS.has(n),
).map(([n]) => [n, rowField(n)]);

function value(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  return v === null ? undefined : v;
}

async function read(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  try {
    return (await connection.runAndReadAll(sql)).getRowsJS() as unknown[][];
  } catch (e) {
    throw new HistoryError(
      `cannot read the baseline runs from the store (${duckdbReason(e)}); rebuild the store from the run folders ` +
        `(history add into a new --store)`,
    );
  }
}

/** A row's key within a run, with whose code it timed: what joins row_details to rows. */
const detailKey = (runId: unknown, row: Pick<Row, 'model' | 'workload' | 'size' | 'backend' | 'implementation'>) =>
  `${String(runId)}\u0000${rowKey(row)}\u0000${row.implementation ?? ''}`;

function detailValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === null ? null : Number(x)));
  return value(v);
}

/** Each row's results.json-only fields, by detailKey; none from a version 1 store, which has no row_details. */
async function readDetails(connection: DuckDBConnection, ids: string): Promise<Map<string, Partial<Row>>> {
  const [has] = await read(
    connection,
    `SELECT count(*) FROM information_schema.tables WHERE table_name = 'row_details'`,
  );
  if (Number(has[0]) === 0) return new Map();
  const names = DETAIL_COLUMNS.map(([n]) => n).join(', ');
  const lines = await read(
    connection,
    `SELECT run_id, model, workload, size, backend, implementation, ${names} FROM row_details WHERE run_id IN ${ids}`,
  );
  return new Map(
    lines.map((l) => {
      const [model, workload, size, backend, implementation] = l.slice(1, 6).map(String);
      const fields = DETAIL_COLUMNS.map(([, , field], j) => [field, detailValue(l[6 + j])] as const);
      return [
        detailKey(l[0], { model, workload, size, backend, implementation }),
        Object.fromEntries(fields.filter(([, v]) => v !== undefined)) as Partial<Row>,
      ];
    }),
  );
}

/** The runs named, in the order named, each with its rows and their samples. */
export async function readStoredRuns(
  connection: DuckDBConnection,
  runIds: readonly string[],
  where: string,
): Promise<LoadedRun[]> {
  if (runIds.length === 0) return [];
  const ids = `(SELECT unnest(${sqlList(runIds)}))`;
  const contexts = await read(
    connection,
    `SELECT c.run_id, CAST(c.context AS VARCHAR), u.source FROM context c JOIN runs u USING (run_id) ` +
      `WHERE run_id IN ${ids}`,
  );
  const columns = ROW_FIELDS.map(([n]) => selected(n)).join(', ');
  const rows = await read(connection, `SELECT run_id, ${columns} FROM rows WHERE run_id IN ${ids}`);
  const samples = await read(
    connection,
    `SELECT run_id, model, workload, size, backend, list(ms ORDER BY sample_index) FROM samples ` +
      `WHERE run_id IN ${ids} GROUP BY ALL`,
  );
  const sampleLists = new Map(
    samples.map((s) => [
      `${s[0]}\u0000${rowKey({
        model: String(s[1]),
        workload: String(s[2]),
        size: String(s[3]),
        backend: String(s[4]),
      })}`,
      (s[5] as unknown[]).map(Number),
    ]),
  );
  const details = await readDetails(connection, ids);
  const byRun = new Map<string, Row[]>();
  for (const line of rows) {
    const fields = ROW_FIELDS.map(([, field], j) => [field, value(line[j + 1])]).filter(([, v]) => v !== undefined);
    const row = Object.fromEntries(fields) as unknown as Row;
    Object.assign(row, details.get(detailKey(line[0], row)));
    row.rawSamples = sampleLists.get(`${line[0]}\u0000${rowKey(row)}`) ?? [];
    byRun.set(String(line[0]), [...(byRun.get(String(line[0])) ?? []), row]);
  }
  const found = new Map(
    contexts.map((c) => [
      String(c[0]),
      { context: JSON.parse(String(c[1])) as RunContext, source: String(c[2] ?? '') },
    ]),
  );
  return runIds.map((id) => {
    const stored = found.get(id);
    if (!stored)
      throw new HistoryError(`${where}: run ${id} has no context in the store; rebuild the store from the run folders`);
    return { dir: stored.source || `${where} (run ${id})`, context: stored.context, rows: byRun.get(id) ?? [] };
  });
}
