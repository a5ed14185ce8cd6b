// `modelbench history add|query|export|trend`: the results store (DuckDB) over many runs, and each
// row's trend across commits. Each subcommand has its own option table; `history --help` prints them all.
import { exportParquet } from '../history/export.js';
import { firstParentHistory } from '../history/git-order.js';
import { addRuns } from '../history/ingest.js';
import { QUERY_FORMATS, renderQuery, runQuery, type QueryFormat } from '../history/query.js';
import { openRunsFolder } from '../history/runs-folder.js';
import { DEFAULT_WAIT_SECONDS, DEFAULT_STORE, openStore, type Store } from '../history/store.js';
import { HistoryError, UsageError } from '../errors.js';
import { buildTrends, loadPoints } from '../history/trend.js';
import { renderTrends } from '../history/trend-text.js';
import { defineCommand, helpText, parseCommand, parseSeconds, type CommandSpec } from './options.js';

const STORE = {
  type: 'string',
  value: 'FILE',
  default: DEFAULT_STORE,
  help: 'the history store (a DuckDB file)',
} as const;
const WAIT = {
  type: 'string',
  value: 'SECONDS',
  default: String(DEFAULT_WAIT_SECONDS),
  help: 'how long to wait for a store another process holds',
} as const;
const RUNS = {
  type: 'string',
  value: 'DIR',
  help: 'read a folder of run folders where they lie (or s3://bucket/prefix ' + 'with httpfs), instead of the store',
} as const;

export const HISTORY_ADD = defineCommand({
  name: 'history add',
  summary:
    'Adds run folders (or folders of them) to the store; a run already ' +
    'there is left as it is, an incomplete one refused.',
  positionals: 'RUN...',
  options: {
    store: STORE,
    wait: WAIT,
    'skip-incomplete': { type: 'boolean', help: 'leave incomplete runs out, each said, instead of refusing' },
  },
});

export const HISTORY_QUERY = defineCommand({
  name: 'history query',
  summary: 'Runs one SQL statement over the tables runs, rows, samples and context (docs/history.md).',
  positionals: '"SQL"',
  options: {
    store: STORE,
    runs: RUNS,
    format: { type: 'string', value: QUERY_FORMATS.join('|'), default: 'table', help: 'output format' },
    wait: WAIT,
  },
});

export const HISTORY_EXPORT = defineCommand({
  name: 'history export',
  summary: 'Writes each table of the store as DIR/<table>.parquet.',
  options: {
    store: STORE,
    parquet: { type: 'string', value: 'DIR', help: 'the folder to write the Parquet files into (required)' },
    wait: WAIT,
  },
});

export const HISTORY_TREND = defineCommand({
  name: 'history trend',
  summary:
    "Each row's median time and objective across the first-parent history " +
    'of a branch, with the steps found in them.',
  options: {
    store: STORE,
    runs: RUNS,
    row: {
      type: 'string',
      value: 'PATTERN',
      help: 'only rows whose model/workload/size/backend[/implementation] matches ' + '(* matches anything)',
    },
    machine: { type: 'string', value: 'PATTERN', help: 'only machines whose label "host (cpu model xN)" matches' },
    branch: { type: 'string', value: 'B', default: 'HEAD', help: 'whose first-parent history orders the commits' },
    repo: { type: 'string', value: 'DIR', default: '.', help: 'the git checkout that history is read from' },
    dirty: { type: 'boolean', help: 'count runs of a checkout with uncommitted changes at their commit' },
    format: { type: 'string', value: 'text|json', default: 'text', help: 'output format' },
    wait: WAIT,
  },
});

const SUBCOMMANDS: readonly { spec: CommandSpec; run: (argv: string[]) => Promise<number> }[] = [
  { spec: HISTORY_ADD, run: historyAdd },
  { spec: HISTORY_QUERY, run: historyQuery },
  { spec: HISTORY_EXPORT, run: historyExport },
  { spec: HISTORY_TREND, run: historyTrend },
];

export const HISTORY_COMMAND = defineCommand({
  name: 'history',
  summary:
    'The results store on DuckDB: add runs, query them with SQL, export ' +
    'Parquet, and trends with their steps across commits.',
  positionals: `${SUBCOMMANDS.map((s) => s.spec.name.split(' ')[1]).join('|')} ...`,
  options: {},
  more: () =>
    SUBCOMMANDS.flatMap((s) => [
      '',
      ...helpText(s.spec)
        .trimEnd()
        .split('\n')
        .map((l) => (l ? `  ${l}` : '')),
    ]),
});

/** A store or query mistake is the user's to fix: one line, exit 2, through main's UsageError. */
async function userErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof HistoryError) throw new UsageError(e.message);
    throw e;
  }
}

type StoreValues = { store: string | undefined; wait: string | undefined; runs?: string };

async function withStore<T>(values: StoreValues, write: boolean, work: (s: Store) => Promise<T>): Promise<T> {
  const waitSeconds = parseSeconds(values.wait!, '--wait');
  // Both are said on standard error: standard output is the query's or trend's answer.
  const onWait = (line: string) => process.stderr.write(`modelbench history: ${line}\n`);
  return userErrors(async () => {
    const store =
      values.runs !== undefined
        ? await openRunsFolder(values.runs)
        : await openStore(values.store!, { write, waitSeconds, onWait, onUpgrade: onWait });
    try {
      return await work(store);
    } finally {
      store.close();
    }
  });
}

async function historyAdd(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(HISTORY_ADD, argv);
  if (positionals.length === 0)
    throw new UsageError(
      'history add needs at least one run folder (or a folder of run ' + 'folders); see modelbench history --help',
    );
  const outcome = await withStore(values, true, (store) =>
    addRuns(store, positionals, { skipIncomplete: values['skip-incomplete'] }),
  );
  for (const line of outcome.skipped) process.stderr.write(`modelbench history: skipped ${line}\n`);
  const rows = outcome.added.reduce((n, r) => n + r.rows, 0);
  const samples = outcome.added.reduce((n, r) => n + r.samples, 0);
  process.stdout.write(
    `${values.store}: added ${outcome.added.length} run(s) (${rows} rows, ` +
      `${samples} samples); ${outcome.already.length} already there\n`,
  );
  return 0;
}

async function historyQuery(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(HISTORY_QUERY, argv);
  if (positionals.length !== 1)
    throw new UsageError(
      `history query takes one SQL statement (quote it), got ` +
        `${positionals.length} argument(s); ` +
        `see modelbench history --help`,
    );
  if (!(QUERY_FORMATS as readonly string[]).includes(values.format!))
    throw new UsageError(`unknown --format '${values.format}'; valid: ` + `${QUERY_FORMATS.join(', ')}`);
  const result = await withStore(values, false, (store) => runQuery(store.connection, positionals[0]));
  process.stdout.write(renderQuery(result, values.format as QueryFormat));
  return 0;
}

async function historyExport(argv: string[]): Promise<number> {
  const { values } = parseCommand(HISTORY_EXPORT, argv);
  if (!values.parquet)
    throw new UsageError(
      '--parquet DIR is required: the folder to write the Parquet files ' + 'into; see modelbench history --help',
    );
  const written = await withStore(values, false, (store) => exportParquet(store, values.parquet!));
  for (const w of written) process.stdout.write(`${w.file}: ${w.rows} row(s)\n`);
  return 0;
}

async function historyTrend(argv: string[]): Promise<number> {
  const { values } = parseCommand(HISTORY_TREND, argv);
  if (!['text', 'json'].includes(values.format!))
    throw new UsageError(`unknown --format '${values.format}'; valid: text, json`);
  const report = await userErrors(async () => {
    const history = firstParentHistory(values.repo!, values.branch!);
    const { points, dirtyRuns } = await withStore(values, false, (store) => loadPoints(store.connection, values));
    return buildTrends(points, history, dirtyRuns);
  });
  process.stdout.write(values.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderTrends(report));
  return 0;
}

export async function historyCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const sub = SUBCOMMANDS.find((s) => s.spec.name === `history ${name}`);
  if (!sub) {
    const valid = SUBCOMMANDS.map((s) => s.spec.name.split(' ')[1]).join(', ');
    throw new UsageError(
      `${name === undefined ? 'history needs a subcommand' : `unknown history subcommand '${name}'`}` +
        `; valid: ${valid}; ` +
        `see modelbench history --help`,
    );
  }
  return sub.run(rest);
}
