// `modelbench report RUN... --out report.html`: merges runs from many machines and commits.
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { loadSide } from '../results/load-runs.js';
import { UnusableInput, BaselineNotFound, UsageError } from '../errors.js';
import { checkOutputFile, STDOUT, writeFileAtomic } from '../results/atomic-write.js';
import { RESULT_COLUMNS } from '../results/columns.js';
import { renderReport } from '../present/html.js';
import { mergeRuns, type MergedRow } from '../results/merge.js';
import { buildOverview } from '../present/overview.js';
import { overviewCsv, overviewJson } from '../present/overview-files.js';
import { defineCommand, parseCommand, type Values } from './options.js';
import { firstParentHistory } from '../history/git-order.js';
import { openStore } from '../history/store.js';
import { buildTrends, loadPoints, type TrendReport } from '../history/trend.js';
import { HistoryError } from '../errors.js';

export const REPORT_COMMAND = defineCommand({
  name: 'report',
  summary:
    'Merges runs from many machines (testbeds) and commits into one ' +
    'self-contained HTML file that opens with an overview ' +
    '(a heat map of every cell by testbed x backend), or a long CSV.',
  positionals: 'RUN...',
  options: {
    out: {
      type: 'string',
      value: 'FILE|-',
      help:
        `the report to write (required): a regular file (not a device or ` + `pipe), or ${STDOUT} for standard output`,
    },
    format: { type: 'string', value: 'html|csv', default: 'html', help: 'output format' },
    'baseline-machine': {
      type: 'string',
      value: 'TESTBED',
      fallback: 'the first',
      help:
        'the testbed (its id, its series, or a pre-testbed run\'s "host (cpu ' +
        'xN)") whose column the others are shown relative to',
    },
    'baseline-backend': {
      type: 'string',
      value: 'NAME',
      fallback: "the baseline testbed's first",
      help: 'the backend of the baseline column (cpu, wasm, impl:NAME, ...)',
    },
    'overview-csv': {
      type: 'string',
      value: 'FILE|-',
      help: 'also write the overview matrix as CSV (one line per cell and column; a regular file, or - for stdout)',
    },
    'overview-json': {
      type: 'string',
      value: 'FILE|-',
      help: 'also write the overview matrix as JSON (columns with their geometric ' + 'means, rows of cells)',
    },
    store: {
      type: 'string',
      value: 'FILE',
      help:
        "a history store (`modelbench history add`): each cell's section shows its trend over history, " +
        'with the steps found marked',
    },
    branch: {
      type: 'string',
      value: 'B',
      fallback: 'HEAD',
      help: 'with --store: whose first-parent history orders the trends',
    },
    repo: { type: 'string', value: 'DIR', fallback: '.', help: 'with --store: the git checkout it is read in' },
  },
});

/** What a report wrote: the CLI prints a line about it, the library API returns it. */
export interface ReportOutcome {
  /** 0 written, 2 unusable input (`error` says why). */
  readonly code: number;
  readonly file?: string;
  readonly rows?: number;
  readonly runs?: number;
  readonly error?: string;
  /** With --out -: the report itself, for standard output. */
  readonly text?: string;
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(REPORT_COMMAND, argv);
  const outcome = await executeReport(values, positionals);
  if (outcome.code === 2) process.stderr.write(`modelbench report: ${outcome.error}\n`);
  else if (outcome.text !== undefined) process.stdout.write(outcome.text);
  else process.stdout.write(`${outcome.file}: ${outcome.rows} rows from ${outcome.runs} run(s)\n`);
  return outcome.code;
}

function mergedCsv(merged: readonly MergedRow[]): string {
  const header = ['machine', ...RESULT_COLUMNS.map(([n]) => n)];
  const rows = merged.map((m) => [
    m.machine,
    ...RESULT_COLUMNS.map(([, get]) => {
      const v = get(m.row, m.run.context);
      return v === undefined ? '' : String(v);
    }),
  ]);
  return stringify([header, ...rows]);
}

export async function executeReport(
  values: Values<typeof REPORT_COMMAND.options>,
  positionals: readonly string[],
): Promise<ReportOutcome> {
  if (positionals.length === 0)
    throw new UsageError('report needs at least one run folder (or results.json); see ' + 'modelbench report --help');
  if (!values.out)
    throw new UsageError('--out FILE is required: where to write the report; see modelbench ' + 'report --help');
  if (!['html', 'csv'].includes(values.format!))
    throw new UsageError(`unknown --format '${values.format}'; valid: html, csv`);
  const extra: readonly (readonly [string, string | undefined])[] = [
    ['--overview-csv', values['overview-csv']],
    ['--overview-json', values['overview-json']],
  ];
  const outputs = [['--out', values.out] as const, ...extra].filter(
    (o): o is readonly [string, string] => o[1] !== undefined,
  );
  checkOutputs(outputs);
  const stray = (['branch', 'repo'] as const).find((o) => values[o] !== undefined);
  if (stray && values.store === undefined) {
    throw new UsageError(`--${stray} orders the trends of a history store: give it with --store FILE`);
  }
  if (values.store !== undefined && values.format !== 'html') {
    throw new UsageError('--store adds trend charts to the HTML report: drop --store, or --format csv');
  }
  try {
    const runs = positionals.flatMap((p) => loadSide(p, { allowIncomplete: true, allowMixed: true }));
    const merged = mergeRuns(runs);
    const needed = values.format === 'html' || extra.some(([, v]) => v !== undefined);
    const overview = needed
      ? buildOverview(merged, { machine: values['baseline-machine'], backend: values['baseline-backend'] })
      : undefined;
    const history = values.store !== undefined && values.format === 'html' ? await storeTrends(values) : undefined;
    const html = () => renderReport(merged, overview!, new Date(), history);
    const text = values.format === 'csv' ? mergedCsv(merged) : await html();
    const files = new Map<string, string>([[values.out, text]]);
    if (values['overview-csv'] !== undefined) files.set(values['overview-csv'], overviewCsv(overview!));
    if (values['overview-json'] !== undefined) files.set(values['overview-json'], overviewJson(overview!));
    const printed = [...files]
      .filter(([f]) => f === STDOUT)
      .map(([, t]) => t)
      .join('');
    for (const [file, content] of files) if (file !== STDOUT) writeFileAtomic(file, content);
    const outcome = { code: 0, rows: merged.length, runs: runs.length };
    return values.out === STDOUT
      ? { ...outcome, text: printed }
      : { ...outcome, file: values.out, ...(printed ? { text: printed } : {}) };
  } catch (e) {
    if (e instanceof UnusableInput || e instanceof BaselineNotFound) return { code: 2, error: e.message };
    throw e;
  }
}

/** Every output is a regular file or -, and no two options name one file (or stdout) twice. */
function checkOutputs(outputs: readonly (readonly [string, string])[]): void {
  for (const [option, file] of outputs) if (file !== STDOUT) checkOutputFile(file, option);
  const seen = new Map<string, string>();
  for (const [option, file] of outputs) {
    const key = file === STDOUT ? STDOUT : path.resolve(file);
    if (seen.has(key))
      throw new UsageError(
        `${option} ${file}: ${seen.get(key)} writes there too; give each ` +
          `output its own file (at most one of them -)`,
      );
    seen.set(key, option);
  }
}

type ReportValues = Values<typeof REPORT_COMMAND.options>;

/** Every row's trend in the store, points kept for the charts; a store or git problem is unusable input. */
async function storeTrends(values: ReportValues): Promise<{ report: TrendReport; store: string }> {
  try {
    const history = firstParentHistory(values.repo ?? '.', values.branch ?? 'HEAD');
    const store = await openStore(values.store!, { write: false });
    try {
      const { points, dirtyRuns } = await loadPoints(store.connection, {});
      return { report: buildTrends(points, history, dirtyRuns, { keepPoints: true }), store: values.store! };
    } finally {
      store.close();
    }
  } catch (e) {
    if (e instanceof HistoryError) throw new UnusableInput(e.message);
    throw e;
  }
}
