// `modelbench calibrate`: measures the compare gate's A/A false alarms and its detection of an
// injected slowdown on every row of a suite (src/gate/calibration/calibrate.ts does the work).
import fs from 'node:fs';
import { BACKENDS } from '../backends/registry.js';
import { UsageError } from '../errors.js';
import { calibrate, type CalibrationOutcome, type CalibrationSettings } from '../gate/calibration/calibrate.js';
import { readRecorded } from '../gate/calibration/earlier.js';
import {
  calibrateCounted,
  parseWorkFractions,
  type CountedCalibrationSettings,
} from '../gate/calibration/calibrate-counted.js';
import { parseInjection } from '../timing/inject-slowdown.js';
import { listSuites, loadSuite, type Suite } from '../timing/suite.js';
import { defineCommand, parseCommand, type Values } from './options.js';
import { parseNameList } from './usage.js';

const DEFAULT_BACKENDS = { time: 'wasm', instructions: 'cpu,wasm' } as const;
const DEFAULT_INJECT = { time: '*/wasm=0.10', instructions: '*=0.01' } as const;

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
      help:
        `the backends (${BACKENDS.map((b) => b.name).join(', ')}; ` +
        `default: ${DEFAULT_BACKENDS.time}, or ${DEFAULT_BACKENDS.instructions} with --measure instructions)`,
    },
    measure: {
      type: 'string',
      value: 'time|instructions',
      default: 'time',
      help:
        'the gate calibrated: the timed one (interleaved pairs), or the counted one (counted runs one after ' +
        'another; --inject is then a fraction of extra work, computed inside each matching call)',
    },
    inject: {
      type: 'string',
      value: '[scale:]GLOB=FRACTION',
      help:
        'the slowed twin: a busy-wait in each matching call, or with scale: its timed samples multiplied ' +
        '(src/timing/inject-slowdown.ts says when a busy-wait is not additive); with --measure instructions, ' +
        "the worked twin's extra work per call as a fraction of the row's estimated cycles " +
        `(default: ${DEFAULT_INJECT.time}, or ${DEFAULT_INJECT.instructions} with --measure instructions)`,
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
    values.backends ?? DEFAULT_BACKENDS.time,
    BACKENDS.map((b) => b.name),
    'backend',
  );
  if (!values.judge) {
    try {
      parseInjection(values.inject ?? DEFAULT_INJECT.time);
    } catch (e) {
      throw new UsageError(`--inject: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // A judging goes by what the folder was run with, where it recorded that.
  const recorded = readRecorded(outDir);
  const judgeOnly = values.judge !== undefined;
  const repeat = judgeOnly && recorded?.repeat ? recorded.repeat : positiveInt(values.repeat!, 'repeat');
  const inject = judgeOnly ? recorded?.inject : (values.inject ?? DEFAULT_INJECT.time);
  return {
    pairs,
    repeat,
    suite,
    suiteName: values.suite!,
    backends,
    backendsOption: values.backends ?? DEFAULT_BACKENDS.time,
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

/** The counted calibration's options: its own defaults, and a refusal of what only the timed one takes. */
export function parseCountedCalibrate(values: CalibrateValues): CountedCalibrationSettings {
  for (const option of ['earlier', 'mark'] as const)
    if (values[option])
      throw new UsageError(`--${option} is for the timed calibration; drop it with --measure instructions`);
  const outDir =
    values.judge ?? values.out ?? `results/calibration-counted-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  if (values.judge && !fs.existsSync(values.judge))
    throw new UsageError(`--judge ${values.judge}: no such folder; give the --out of a calibration`);
  const recorded = values.judge ? readRecorded(outDir)?.inject : undefined;
  const inject = recorded ?? values.inject ?? DEFAULT_INJECT.instructions;
  parseWorkFractions(inject);
  const backends = parseNameList(
    values.backends ?? DEFAULT_BACKENDS.instructions,
    BACKENDS.filter((b) => b.counted).map((b) => b.name),
    'backend',
  );
  return {
    pairs: positiveInt(values.pairs!, 'pairs'),
    suite: suiteOf(values.suite!),
    backends,
    inject,
    outDir,
    judgeOnly: values.judge !== undefined,
  };
}

export async function calibrateCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(CALIBRATE_COMMAND, argv);
  if (values.measure === 'instructions') {
    await calibrateCounted(parseCountedCalibrate(values), (line) => console.log(line));
    return 0;
  }
  if (values.measure !== 'time')
    throw new UsageError(`--measure ${values.measure}: a calibration measures time or instructions, one at a time`);
  const outcome = await executeCalibrate(parseCalibrate(values), (line) => console.log(line));
  printCalibration(outcome);
  return 0;
}
