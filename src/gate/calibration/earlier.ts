// What a calibration folder records: how its pairs were run (calibration.json, written before the
// first pair) and, once judged, its tallies (rows.json). An earlier sitting's rows.json is counted in
// with a later judging (--earlier) when the runs of that sitting were not kept.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { GATE_DEFAULTS } from '../gate.js';

/** What a calibration folder was run with (DIR/calibration.json): a `scale:` calibration has no slowed runs to tell. */
export interface Recorded {
  /** The gate calibrated (absent: time, as before counted calibrations). */
  readonly measure?: 'time' | 'instructions';
  readonly inject: string;
  readonly suite?: string;
  readonly repeat?: number;
}

export interface RowTally {
  aaAlarms: number;
  caught: number;
  injected: number;
  predicted: number[];
  misses: string[];
}

/** What a judged calibration folder's rows.json holds (older ones lack suite and lines: summary.txt has the lines). */
export interface Judged {
  readonly pairs: number;
  readonly falseAlarmPairs: number;
  readonly inject?: string;
  readonly repeat?: number;
  readonly suite?: string;
  readonly gate?: unknown;
  readonly rows: Record<string, RowTally>;
  readonly lines?: string[];
}

/** An earlier sitting, ready to be counted first: its pair lines, and its pair numbers as text (e.g. "1-10"). */
export type Earlier = Judged & { readonly lines: string[]; readonly numbers: string };

export const recordFile = (dir: string) => path.join(dir, 'calibration.json');

export function readRecorded(dir: string): Recorded | undefined {
  const file = recordFile(dir);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Recorded) : undefined;
}

function readJudged(dir: string): Judged {
  const file = path.join(dir, 'rows.json');
  if (!fs.existsSync(file)) {
    const fix = 'give the folder of a judged calibration (its summary.txt and rows.json)';
    throw new UsageError(`--earlier ${dir}: no rows.json there; ${fix}`);
  }
  let j: Judged;
  try {
    j = JSON.parse(fs.readFileSync(file, 'utf8')) as Judged;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new UsageError(`--earlier ${file}: not JSON (${why}); it is written by modelbench calibrate's judging`);
  }
  if (!j || typeof j.pairs !== 'number' || !j.rows) {
    throw new UsageError(`--earlier ${file}: no "pairs" and "rows"; it is written by modelbench calibrate's judging`);
  }
  return j;
}

/** The earlier sitting's pair lines: from rows.json, or (older folders) from summary.txt. */
function pairLines(dir: string, j: Judged): string[] {
  if (j.lines) return j.lines;
  const summaryFile = path.join(dir, 'summary.txt');
  if (!fs.existsSync(summaryFile)) return [];
  return fs
    .readFileSync(summaryFile, 'utf8')
    .split('\n')
    .filter((l) => /^pair \d+: A\/A /.test(l));
}

/**
 * An earlier sitting's verdicts, to be counted with this folder's pairs: only when it was judged with
 * the same injection, rounds, suite and gate settings, and its pair numbers are below this folder's.
 */
export function readEarlier(
  dir: string,
  now: { inject?: string; repeat: number; suite: string },
  numbered: readonly number[],
): Earlier {
  const j = readJudged(dir);
  const differs = (what: string, was: unknown, is: unknown) => {
    if (JSON.stringify(was) === JSON.stringify(is)) return;
    const said = `its pairs were judged with ${what} ${JSON.stringify(was)}, these with ${JSON.stringify(is)}`;
    throw new UsageError(`--earlier ${dir}: ${said}; only a calibration run the same way can be counted with it`);
  };
  differs('--inject', j.inject, now.inject);
  differs('--repeat', j.repeat, now.repeat);
  differs('gate settings', j.gate, GATE_DEFAULTS);
  differs('--suite', j.suite ?? readRecorded(dir)?.suite, now.suite);
  const lines = pairLines(dir, j);
  const numbers = lines.map((l) => Number(/^pair (\d+):/.exec(l)![1]));
  if (numbers.length !== j.pairs) {
    const found = `rows.json counts ${j.pairs} pairs but ${numbers.length} pair lines were found`;
    throw new UsageError(`--earlier ${dir}: ${found} (rows.json "lines" or summary.txt); the folder is incomplete`);
  }
  const last = Math.max(0, ...numbers);
  const clash = numbered.find((n) => n <= last);
  if (clash !== undefined) {
    const fix = `number this folder's pairs from ${last + 1} (e.g. symbolic links named ${last + 1}, ${last + 2}, ...)`;
    const within = `is numbered within the earlier sitting's (up to ${last})`;
    throw new UsageError(`pair ${clash} of this folder ${within}; ${fix}`);
  }
  // JSON wrote a prediction beyond the search (Infinity) as null.
  const rows = Object.fromEntries(
    Object.entries(j.rows).map(([key, t]) => [key, { ...t, predicted: t.predicted.map((x) => x ?? Infinity) }]),
  );
  const consecutive = numbers.length > 0 && numbers.every((n, k) => n === numbers[0] + k);
  return { ...j, rows, lines, numbers: consecutive ? `${numbers[0]}-${last}` : numbers.join(', ') };
}
