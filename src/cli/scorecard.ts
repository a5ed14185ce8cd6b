// `modelbench scorecard RUN`: the scorecard of a saved run, from its rows and, when the run was made
// with --conformance, its conformance.json.
import fs from 'node:fs';
import path from 'node:path';
import { loadSide } from '../results/load-runs.js';
import { UnusableInput, UsageError } from '../errors.js';
import type { ConformanceRecord } from '../validate/conformance-record.js';
import { checkOutputFile, STDOUT, writeFileAtomic } from '../results/atomic-write.js';
import { buildScorecard, renderScorecard } from '../present/scorecard.js';
import { defineCommand, parseCommand } from './options.js';

export const SCORECARD_COMMAND = defineCommand({
  name: 'scorecard',
  summary:
    'Per implementation and model: conformance verdicts and speed relative to our fastest backend, from one run.',
  positionals: 'RUN',
  options: {
    format: { type: 'string', value: 'table|markdown|json', default: 'table', help: 'output format' },
    output: {
      type: 'string',
      value: 'FILE|-',
      help: `write it to FILE (a regular file; not a device or pipe) instead of stdout; ${STDOUT} is stdout`,
    },
  },
});

function readConformance(dir: string): ConformanceRecord[] {
  const file = path.join(dir, 'conformance.json');
  if (!fs.existsSync(file)) return [];
  try {
    const records = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(records)) throw new Error('not a list');
    return records as ConformanceRecord[];
  } catch (e) {
    throw new UnusableInput(
      `${file}: not a conformance record list (` +
        `${e instanceof Error ? e.message : String(e)}); rerun with modelbench ` +
        `run --conformance, or delete it`,
    );
  }
}

export async function scorecardCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SCORECARD_COMMAND, argv);
  if (positionals.length !== 1)
    throw new UsageError('scorecard needs one run folder (results/<run-id>); see modelbench scorecard --help');
  if (!['table', 'markdown', 'json'].includes(values.format!))
    throw new UsageError(`unknown --format '${values.format}'; valid: table, markdown, json`);
  const toFile = values.output !== undefined && values.output !== STDOUT;
  if (toFile) checkOutputFile(values.output!, '--output');
  try {
    const runs = loadSide(positionals[0], { allowIncomplete: true, allowMixed: true });
    if (runs.length !== 1) throw new UnusableInput(`${positionals[0]} holds ${runs.length} runs; give one run folder`);
    const dir = fs.statSync(positionals[0]).isDirectory() ? positionals[0] : path.dirname(positionals[0]);
    const text = renderScorecard(
      buildScorecard(runs[0].rows, readConformance(dir)),
      values.format as 'table' | 'markdown' | 'json',
    );
    if (toFile) writeFileAtomic(values.output!, text);
    else process.stdout.write(text);
    return 0;
  } catch (e) {
    if (e instanceof UnusableInput) {
      process.stderr.write(`modelbench scorecard: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
