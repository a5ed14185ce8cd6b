// `modelbench report RUN... --out report.html`: merges runs from many machines and commits.
import { stringify } from 'csv-stringify/sync';
import { loadSide, UnusableInput } from '../compare/load-runs.js';
import { checkOutputFile, STDOUT, writeFileAtomic } from '../report/atomic-write.js';
import { RESULT_COLUMNS } from '../report/columns.js';
import { renderReport } from '../report/html.js';
import { mergeRuns, type MergedRow } from '../report/merge.js';
import { defineCommand, parseCommand, type Values } from './options.js';
import { UsageError } from './usage.js';

export const REPORT_COMMAND = defineCommand({
  name: 'report',
  summary: 'Merges runs from many machines and commits into one self-contained HTML file (or a long CSV).',
  positionals: 'RUN...',
  options: {
    out: { type: 'string', value: 'FILE|-', help: `the report to write (required): a regular file (not a device or pipe), or ${STDOUT} for standard output` },
    format: { type: 'string', value: 'html|csv', default: 'html', help: 'output format' },
    'baseline-machine': { type: 'string', value: '"host (cpu xN)"', help: 'the machine others are shown relative to' },
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
  const rows = merged.map((m) => [m.machine, ...RESULT_COLUMNS.map(([, get]) => {
    const v = get(m.row, m.run.context);
    return v === undefined ? '' : String(v);
  })]);
  return stringify([header, ...rows]);
}

export async function executeReport(values: Values<typeof REPORT_COMMAND.options>, positionals: readonly string[]): Promise<ReportOutcome> {
  if (positionals.length === 0) throw new UsageError('report needs at least one run folder (or results.json); see modelbench report --help');
  if (!values.out) throw new UsageError('--out FILE is required: where to write the report; see modelbench report --help');
  if (!['html', 'csv'].includes(values.format!)) throw new UsageError(`unknown --format '${values.format}'; valid: html, csv`);
  const toStdout = values.out === STDOUT;
  if (!toStdout) checkOutputFile(values.out, '--out');
  try {
    const runs = positionals.flatMap((p) => loadSide(p, { allowIncomplete: true, allowMixed: true }));
    const merged = mergeRuns(runs);
    const text = values.format === 'csv' ? mergedCsv(merged) : await renderReport(merged, values['baseline-machine'], new Date());
    if (toStdout) return { code: 0, rows: merged.length, runs: runs.length, text };
    writeFileAtomic(values.out, text);
    return { code: 0, file: values.out, rows: merged.length, runs: runs.length };
  } catch (e) {
    if (e instanceof UnusableInput || (e instanceof Error && e.message.startsWith('--baseline-machine'))) return { code: 2, error: e.message };
    throw e;
  }
}
