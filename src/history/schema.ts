// The history store's tables, as SQL built in one place. The store and a folder of run folders
// (`history query --runs DIR`) answer the same queries because both are filled by the same SELECTs:
// the store runs them over the files of validated runs, the folder mode over a glob, as views.
import { RESULT_COLUMNS } from '../results/columns.js';

/** Bumped whenever a table gains, loses or retypes a column (docs/history.md, "Schema versions"). */
export const SCHEMA_VERSION = 2;

export const TABLES = ['runs', 'rows', 'samples', 'context', 'row_details'] as const;

export type SqlType = 'VARCHAR' | 'DOUBLE' | 'INTEGER' | 'BIGINT' | 'BOOLEAN' | 'TIMESTAMP' | 'JSON';

// results.csv columns that are not text; every other column is VARCHAR.
const DOUBLE_COLUMNS = new Set([
  'mean_ms',
  'median_ms',
  'p75_ms',
  'p99_ms',
  'min_ms',
  'max_ms',
  'sd_ms',
  'rme_pct',
  'throughput',
  'first_run_ms',
  'objective',
  'oracle_objective',
  'rel_error',
  'tolerance',
  'iterations',
  'tensors_leaked',
  'memory_gib',
  'protocol_ms',
  'impl_elapsed_ms',
  'gflops',
  'ceiling_gflops',
  'ceiling_fraction',
  'kernels_per_run',
  'host_syncs_per_run',
  'fetch_ms',
  'instructions_per_call',
  'l1_misses_per_call',
  'll_misses_per_call',
  'est_cycles_per_call',
  'count_spread_pct',
]);
const OTHER_TYPES: Readonly<Record<string, SqlType>> = {
  timestamp: 'TIMESTAMP',
  samples: 'INTEGER',
  cpu_cores: 'INTEGER',
  counted_calls: 'INTEGER',
  counted_processes: 'INTEGER',
  seed_base: 'BIGINT',
  seed_data: 'BIGINT',
  seed_init: 'BIGINT',
  seed_sampling: 'BIGINT',
  converged: 'BOOLEAN',
  git_dirty: 'BOOLEAN',
};

/** The counted columns of rows: text in schema version 1 (as results.csv has them), numbers since version 2. */
export const COUNTED_COLUMNS = [
  'instructions_per_call',
  'l1_misses_per_call',
  'll_misses_per_call',
  'est_cycles_per_call',
  'count_spread_pct',
  'counted_calls',
  'counted_processes',
] as const;

export function rowColumnType(name: string): SqlType {
  return DOUBLE_COLUMNS.has(name) ? 'DOUBLE' : (OTHER_TYPES[name] ?? 'VARCHAR');
}

/** `rows`: every results.csv column, in its fixed order, typed. */
export const ROW_COLUMNS: readonly (readonly [string, SqlType])[] = RESULT_COLUMNS.map(
  ([name]) => [name, rowColumnType(name)] as const,
);

/** `runs`: one per run, from results.json's context (the JSON path each column is read from). */
export const RUN_COLUMNS: readonly (readonly [string, SqlType, string])[] = [
  ['run_id', 'VARCHAR', 'runId'],
  ['timestamp', 'TIMESTAMP', 'timestamp'],
  ['suite', 'VARCHAR', 'suite'],
  ['git_sha', 'VARCHAR', 'gitSha'],
  ['git_dirty', 'BOOLEAN', 'gitDirty'],
  ['host', 'VARCHAR', 'host'],
  ['cpu_model', 'VARCHAR', 'cpuModel'],
  ['cpu_cores', 'INTEGER', 'cpuCores'],
  ['memory_gib', 'DOUBLE', 'memoryGiB'],
  ['os', 'VARCHAR', 'os'],
  ['node_version', 'VARCHAR', 'nodeVersion'],
  ['tfjs_version', 'VARCHAR', 'tfjsVersion'],
  ['tinybench_version', 'VARCHAR', 'tinybenchVersion'],
  ['modelbench_version', 'VARCHAR', 'modelbenchVersion'],
  ['seed_base', 'BIGINT', 'baseSeed'],
];

export const SAMPLE_COLUMNS: readonly (readonly [string, SqlType])[] = [
  ['run_id', 'VARCHAR'],
  ['model', 'VARCHAR'],
  ['workload', 'VARCHAR'],
  ['size', 'VARCHAR'],
  ['backend', 'VARCHAR'],
  ['sample_index', 'INTEGER'],
  ['ms', 'DOUBLE'],
];

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** What a SELECT reads: one glob (the folder mode) or the list of files of the runs being added. */
export function fileSource(files: string | readonly string[]): string {
  return typeof files === 'string' ? sqlString(files) : sqlList(files);
}

/** A SQL list of strings: `['a', 'b']`. */
export function sqlList(items: readonly string[]): string {
  return `[${items.map(sqlString).join(', ')}]`;
}

/** The machine a series belongs to, as the report names it (report/merge.ts machineLabel). */
const MACHINE_SQL = `host || ' (' || cpu_model || ' x' || cpu_cores || ')'`;

/**
 * One line per complete run: its context and row count, each document parsed once (an extraction
 * from the whole results.json would parse its rows again for every column).
 */
export function documentsSql(jsonFiles: string): string {
  return `SELECT * FROM (SELECT filename, json_extract(content, '$.context') AS ctx, CAST(json_array_length(content,
      '$.rows') AS INTEGER) AS row_count
    FROM read_text(${jsonFiles})) WHERE (ctx->>'complete') IS DISTINCT FROM 'false'`;
}

/**
 * `runs` from a relation of documents (filename, ctx, row_count): documentsSql over files, or the JS-read documents of
 * an ingest.
 */
export function runsSelect(documents: string): string {
  const cols = RUN_COLUMNS.map(([name, type, p]) => `TRY_CAST(ctx->>'${p}' AS ${type}) AS ${name}`);
  return `SELECT run_id, timestamp, suite, ${MACHINE_SQL} AS machine, * EXCLUDE (run_id, timestamp, suite) FROM
      (SELECT ${cols.join(', ')},
    row_count, regexp_replace(filename, '/?results\\.json$', '') AS source FROM (${documents}))`;
}

export function contextSelect(documents: string): string {
  return `SELECT ctx->>'runId' AS run_id, ctx AS context FROM (${documents})`;
}

const CSV_DIALECT = `header = true, delim = ',', quote = '"', escape = '"'`;

/**
 * A reader of results.csv files, every value as text (each column's type comes from ROW_COLUMNS, not
 * from a sniff of one file). With the header its files share, nothing is sniffed; without, the
 * files' headers are united by name (a folder of runs written before and after a column was appended).
 */
export function resultsCsvReader(csvFiles: string, header?: readonly string[]): string {
  if (!header) return `read_csv(${csvFiles}, ${CSV_DIALECT}, all_varchar = true, union_by_name = true)`;
  const columns = header.map((name) => `${sqlString(name)}: 'VARCHAR'`).join(', ');
  return `read_csv(${csvFiles}, ${CSV_DIALECT}, auto_detect = false, columns = {${columns}})`;
}

/** Whose code a row timed, as report/summary.ts implementationOf says for runs written before the column existed. */
const IMPLEMENTATION_SQL = (present: boolean) =>
  `coalesce(${present ? `NULLIF("implementation", ''), ` : ''}CASE WHEN ` +
  `regexp_matches(backend, '^(impl|peer):') THEN regexp_replace(backend, ` +
  `'^(impl|peer):', '') ELSE 'modelbench' END)`;

/**
 * `rows` from a results.csv reader; `present` is the columns its files have (a run written before a
 * column was appended has none of it: NULL there, as its results.csv leaves it empty).
 */
export function rowsSelect(reader: string, present: ReadonlySet<string>): string {
  const cols = ROW_COLUMNS.map(([name, type]) => {
    if (name === 'implementation') return `${IMPLEMENTATION_SQL(present.has(name))} AS ${name}`;
    if (!present.has(name)) return `CAST(NULL AS ${type}) AS ${name}`;
    const text = `NULLIF(${quoteIdent(name)}, '')`;
    // JSON writes NaN as null, results.csv as 'NaN': both are "could not compute".
    return type === 'VARCHAR' ? `${text} AS ${name}` : `TRY_CAST(NULLIF(${text}, 'NaN') AS ${type}) AS ${name}`;
  });
  return `SELECT ${cols.join(', ')} FROM ${reader}`;
}

/**
 * `row_details` (schema version 2): the fields of a results.json row that results.csv has not, one line
 * per row that has any: what a stored baseline needs to be judged as its folder is (a declared expected
 * failure, the paired bursts, each counted process's estimate) and what a query may ask of them.
 */
export const DETAIL_COLUMNS: readonly (readonly [string, SqlType, string])[] = [
  ['objective_at_optimum', 'BOOLEAN', 'objectiveAtOptimum'],
  ['expected_failure', 'VARCHAR', 'expectedFailure'],
  ['burst_medians', 'DOUBLE[]' as SqlType, 'burstMedians'],
  ['cycle_samples', 'DOUBLE[]' as SqlType, 'cycleSamples'],
  ['instruction_samples', 'DOUBLE[]' as SqlType, 'instructionSamples'],
];

/** What identifies a row within the store: the run and the row's cell, whose code included. */
export const ROW_KEY_COLUMNS = ['run_id', 'model', 'workload', 'size', 'backend', 'implementation'] as const;

/** `row_details` from results.json files (a list or a glob): each row's fields read from its JSON object. */
export function detailsSelect(jsonFiles: string): string {
  const fields = DETAIL_COLUMNS.map(([name, type, field]) =>
    type === 'VARCHAR' ? `r->>'${field}' AS ${name}` : `TRY_CAST(r->'${field}' AS ${type}) AS ${name}`,
  );
  const names = DETAIL_COLUMNS.map(([name]) => name);
  const cell = ['model', 'workload', 'size', 'backend', 'implementation'].map((f) => `r->>'${f}' AS ${f}`);
  return `SELECT run_id, model, workload, size, backend, ${IMPLEMENTATION_SQL(true)} AS implementation,
      ${names.join(', ')}
    FROM (SELECT run_id, ${cell.join(', ')}, ${fields.join(', ')}
      FROM (SELECT json_extract_string(content, '$.context.runId') AS run_id,
        unnest(json_extract(content, '$.rows[*]')) AS r FROM read_text(${jsonFiles})))
    WHERE ${names.map((n) => `${n} IS NOT NULL`).join(' OR ')}`;
}

export function samplesSelect(csvFiles: string): string {
  const columns = SAMPLE_COLUMNS.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ');
  return `SELECT * FROM read_csv(${csvFiles}, ${CSV_DIALECT}, auto_detect = false, columns = {${columns}})`;
}

/**
 * The store keeps a row's samples as one list: written half as fast again as a line per sample, and counted per row for
 * free.
 */
export function sampleListsSelect(csvFiles: string): string {
  return (
    `SELECT run_id, model, workload, size, backend, list(ms ORDER BY ` +
    `sample_index) AS ms FROM (${samplesSelect(csvFiles)}) GROUP BY ALL`
  );
}

const SAMPLES_FROM_LISTS =
  `SELECT run_id, model, workload, size, backend, ` +
  `CAST(generate_subscripts(ms, 1) - 1 AS INTEGER) AS sample_index, ` +
  `unnest(ms) AS ms FROM sample_lists`;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function tableDdl(
  name: string,
  columns: readonly (readonly [string, SqlType, ...unknown[]])[],
  extra: string[] = [],
): string {
  return `CREATE TABLE ${name} (${[...columns.map(([n, t]) => `${quoteIdent(n)} ${t}`), ...extra].join(', ')})`;
}

/** The store's tables, created once in an empty file. */
export function createStoreSql(): string[] {
  const runColumns: (readonly [string, SqlType])[] = [
    ...RUN_COLUMNS.slice(0, 3).map(([n, t]) => [n, t] as const),
    ['machine', 'VARCHAR'],
    ...RUN_COLUMNS.slice(3).map(([n, t]) => [n, t] as const),
    ['row_count', 'INTEGER'],
    ['source', 'VARCHAR'],
  ];
  return [
    `CREATE TABLE modelbench_schema (version INTEGER NOT NULL, written_by VARCHAR NOT NULL)`,
    tableDdl('runs', runColumns, ['PRIMARY KEY (run_id)']),
    tableDdl('rows', ROW_COLUMNS),
    tableDdl('sample_lists', [...SAMPLE_COLUMNS.slice(0, 5), ['ms', 'DOUBLE[]' as SqlType]]),
    `CREATE VIEW samples AS ${SAMPLES_FROM_LISTS}`,
    tableDdl('context', [
      ['run_id', 'VARCHAR'],
      ['context', 'JSON'],
    ]),
    detailsDdl(),
  ];
}

export function detailsDdl(): string {
  return tableDdl('row_details', [
    ...ROW_KEY_COLUMNS.map((n) => [n, 'VARCHAR'] as const),
    ...DETAIL_COLUMNS.map(([n, t]) => [n, t] as const),
  ]);
}
