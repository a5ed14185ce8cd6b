// `modelbench calibrate`: measures the compare gate's A/A false alarms and its detection of an
// injected slowdown on every row of a suite (src/gate/calibration/calibrate.ts does the work).
import fs from 'node:fs';
import { BACKENDS } from '../backends/registry.js';
import { UsageError } from '../errors.js';
import { calibrate, type CalibrationOutcome, type CalibrationSettings } from '../gate/calibration/calibrate.js';
import { readRecorded } from '../gate/calibration/earlier.js';
import { parseInjection } from '../timing/inject-slowdown.js';
import { listSuites, loadSuite, type Suite } from '../timing/suite.js';
import { defineCommand, parseCommand, type Values } from './options.js';
import { parseNameList } from './usage.js';

export const CALIBRATE_COMMAND = defineCommand({
  name: 'calibrate',
  summary:
    "Measures the compare gate's A/A false alarms and its detection of an injected slowdown on every row of a suite; " +
    'writes DIR/summary.txt and DIR/rows.json.',
  options: {
    pairs: {
      type: 'string',
      value: 'N',
      default: '20',
      help:
        'pairs to run (an --out holding finished pairs goes on from the next one, ' +
        'so a calibration can span several sittings)',
    },
    repeat: {
      type: 'string',
      value: 'N',
      default: '2',
      help: 'interleaved rounds per build in each pair (as the CI gate runs them)',
    },
    suite: {
      type: 'string',
      value: `${listSuites().join('|')}|FILE.json`,
      default: 'quick',
      help: 'the suite whose rows are calibrated',
    },
    backends: {
      type: 'string',
      value: 'a,b',
      default: 'wasm',
      help: `the backends (${BACKENDS.map((b) => b.name).join(', ')})`,
    },
    inject: {
      type: 'string',
      value: '[scale:]GLOB=FRACTION',
      default: '*/wasm=0.10',
      help:
        'the slowdown of the slowed twin: a busy-wait in each matching call, ' +
        'or with scale: its timed samples multiplied ' +
        '(src/timing/inject-slowdown.ts says when a busy-wait is not additive)',
    },
    out: { type: 'string', value: 'DIR', help: 'where the pairs are written (default: results/calibration-<time>)' },
    judge: {
      type: 'string',
      value: 'DIR',
      help: 'run nothing: judge the finished pairs in DIR again (e.g. after a gate change)',
    },
    earlier: {
      type: 'string',
      value: 'DIR',
      help:
        'with --judge: count first the pairs an earlier sitting judged into DIR ' +
        '(its rows.json and summary.txt: for a ' +
        "calibration whose runs were not kept); the judged folder's pairs must be numbered after them",
    },
    mark: {
      type: 'boolean',
      default: false,
      help:
        'write the verdict into the suite file (src/gate/calibration/mark-suite.ts): a row claims the injected ' +
        'slowdown only when predicted and caught in 95% of pairs',
    },
  },
});

type CalibrateValues = Values<typeof CALIBRATE_COMMAND.options>;

function positiveInt(raw: string, option: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${option} ${raw}: not a whole number of at least 1`);
  return n;
}

function suiteOf(name: string): Suite {
  try {
    return loadSuite(name);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** The options, checked before anything is run or written: a mistake is one line with its fix. */
export function parseCalibrate(values: CalibrateValues): CalibrationSettings {
  const pairs = positiveInt(values.pairs!, 'pairs');
  const outDir = values.judge ?? values.out ?? `results/calibration-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  if (values.earlier && !values.judge) {
    const how = 'run the pairs first, then judge them with --judge DIR --earlier EARLIER';
    throw new UsageError(`--earlier counts an earlier sitting in with a judging only: ${how}`);
  }
  if (values.judge && !fs.existsSync(values.judge)) {
    throw new UsageError(`--judge ${values.judge}: no such folder; give the --out of a calibration`);
  }
  const suite = suiteOf(values.suite!);
  const backends = parseNameList(
    values.backends,
    BACKENDS.map((b) => b.name),
    'backend',
  );
  if (!values.judge) {
    try {
      parseInjection(values.inject);
    } catch (e) {
      throw new UsageError(`--inject: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // A judging goes by what the folder was run with, where it recorded that.
  const recorded = readRecorded(outDir);
  const judgeOnly = values.judge !== undefined;
  const repeat = judgeOnly && recorded?.repeat ? recorded.repeat : positiveInt(values.repeat!, 'repeat');
  const inject = judgeOnly ? recorded?.inject : values.inject;
  return {
    pairs,
    repeat,
    suite,
    suiteName: values.suite!,
    backends,
    backendsOption: values.backends,
    inject,
    outDir,
    judgeOnly,
    earlier: values.earlier,
    mark: values.mark,
  };
}

/** Runs and judges the calibration; its lines are said as they come (it runs for hours). */
export function executeCalibrate(
  settings: CalibrationSettings,
  say: (line: string) => void,
): Promise<CalibrationOutcome> {
  return calibrate(settings, say);
}

function printCalibration(outcome: CalibrationOutcome): void {
  if (outcome.markedFile) console.log(`marks written to ${outcome.markedFile}`);
}

export async function calibrateCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(CALIBRATE_COMMAND, argv);
  const outcome = await executeCalibrate(parseCalibrate(values), (line) => console.log(line));
  printCalibration(outcome);
  return 0;
}
