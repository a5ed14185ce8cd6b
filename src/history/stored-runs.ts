// Runs read back from the store as compare reads run folders (results/load-runs.ts): the context as
// results.json had it, each row from its results.csv line, its samples in order. What results.json
// alone holds is not in the store: paired bursts (a store's baseline was never timed in the
// candidate's round, so it is not paired anyway), an implementation's declared expected failures,
// and the per-process count estimates (the counted gate reads the per-call columns).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RunContext } from '../results/context.js';
import type { LoadedRun } from '../results/load-runs.js';
import { rowKey } from '../results/load-runs.js';
import type { Row } from '../types.js';
import { ROW_COLUMNS, rowColumnType, sqlList } from './schema.js';
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
 * Counted columns the store (schema version 1) keeps as text, as results.csv has them: numbers in a
 * Row. Read back as text, the counted gate would see spans of '64' and 64 as different.
 */
const NUMBERS_STORED_AS_TEXT = new Set([
  'instructions_per_call',
  'l1_misses_per_call',
  'll_misses_per_call',
  'est_cycles_per_call',
  'count_spread_pct',
  'counted_calls',
  'counted_processes',
]);

const selected = (column: string) =>
  NUMBERS_STORED_AS_TEXT.has(column) && rowColumnType(column) === 'VARCHAR'
    ? `TRY_CAST(NULLIF("${column}", 'NaN') AS DOUBLE)`
    : `"${column}"`;

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
  const byRun = new Map<string, Row[]>();
  for (const line of rows) {
    const row = Object.fromEntries(
      ROW_FIELDS.map(([, field], j) => [field, value(line[j + 1])]).filter(([, v]) => v !== undefined),
    ) as unknown as Row;
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
