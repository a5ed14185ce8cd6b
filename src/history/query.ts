// `history query "SQL"`: one statement's result as a table, CSV or JSON. Failing SQL is one line
// that names the tables, so a typo in a table or column name says where to look.
import { stringify } from 'csv-stringify/sync';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLES } from './schema.js';
import { duckdbReason } from './store.js';
import { HistoryError } from '../errors.js';

export const QUERY_FORMATS = ['table', 'csv', 'json'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

export interface QueryResult {
  readonly columns: readonly string[];
  /** Each value as text (DuckDB's own rendering), null for SQL NULL: what the table and CSV show. */
  readonly text: readonly (readonly (string | null)[])[];
  /** Each value as JavaScript (numbers, booleans, strings, lists), for JSON. */
  readonly values: readonly (readonly unknown[])[];
}

export async function runQuery(connection: DuckDBConnection, sql: string): Promise<QueryResult> {
  if (sql.trim() === '')
    throw new HistoryError(
      `the query is empty; give one SQL statement over the tables ` + `${TABLES.join(', ')} (docs/history.md)`,
    );
  try {
    const reader = await connection.runAndReadAll(sql);
    return {
      columns: reader.columnNames(),
      text: reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v)))),
      values: reader.getRowsJS().map((row) => row.map(jsonValue)),
    };
  } catch (e) {
    throw new HistoryError(
      `the query failed: ${duckdbReason(e)}; the tables are ` +
        `${TABLES.join(', ')} (their columns: docs/history.md, or DESCRIBE ` +
        `rows)`,
    );
  }
}

/** A value JSON can hold: 64-bit integers as numbers while exact, times as ISO text, NaN and infinities as text. */
function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  return v;
}

function looksNumeric(s: string | null): boolean {
  return s !== null && /^-?(\d+(\.\d*)?(e[-+]?\d+)?|Infinity|NaN)$/i.test(s);
}

/** Columns padded to their widest value; numbers right-aligned, so digits line up. */
export function renderTable(result: QueryResult): string {
  const shown = result.text.map((row) => row.map((v) => (v === null ? 'NULL' : v.replace(/\s*\n\s*/g, ' '))));
  const widths = result.columns.map((c, j) => Math.max(c.length, ...shown.map((row) => row[j].length)));
  const numeric = result.columns.map(
    (_, j) => result.text.length > 0 && result.text.every((row) => row[j] === null || looksNumeric(row[j])),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((s, j) => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j])))
      .join('  ')
      .trimEnd();
  const count = `(${result.text.length} row${result.text.length === 1 ? '' : 's'})`;
  return (
    [line(result.columns), widths.map((w) => '-'.repeat(w)).join('  '), ...shown.map(line), count].join('\n') + '\n'
  );
}

export function renderQuery(result: QueryResult, format: QueryFormat): string {
  if (format === 'csv') return stringify([result.columns, ...result.text.map((row) => row.map((v) => v ?? ''))]);
  if (format === 'json')
    return (
      JSON.stringify(
        result.values.map((row) => Object.fromEntries(result.columns.map((c, j) => [c, row[j]]))),
        null,
        2,
      ) + '\n'
    );
  return renderTable(result);
}
