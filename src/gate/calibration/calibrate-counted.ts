// The counted gate's calibration (`modelbench calibrate --measure instructions`): each pair is three counted runs of
// this checkout, one after another: a baseline, an A/A twin, and a worked twin whose matching rows each do a fraction
// more real computation per call (MODELBENCH_INJECT_WORK, sized from the baseline's own estimated cycles of that row:
// timing/inject-work.ts). The counted gate then judges baseline vs twin (any regression is a false alarm) and
// baseline vs worked twin (a worked row is caught when the gate calls it a regression). No interleaving: a count does
// not depend on what else the machine runs, so the sides need not share its moments.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { makeContext } from '../../results/context.js';
import { loadSide, rowKey } from '../../results/load-runs.js';
import { DEFAULT_BASE_SEED, seedsFrom } from '../../seeds.js';
import { pool } from '../../stats/pool.js';
import { INJECT_WORK_ENV } from '../../timing/inject-work.js';
import { silentProgress } from '../../timing/progress.js';
import { runPlan } from '../../timing/run-suite.js';
import { measuredIn, type Suite } from '../../timing/suite.js';
import type { Row } from '../../types.js';
import { COUNTED_MIN_EFFECT } from '../counted-gate.js';
import { globParts } from '../../glob.js';
import { readRecorded, recordFile } from './earlier.js';
import { finished, judgePair, SIDES, tableOf, type CountedTally, type Side } from './judge-counted.js';

export interface CountedCalibrationSettings {
  readonly pairs: number;
  readonly suite: Suite;
  readonly backends: readonly string[];
  /** GLOB=FRACTION[,GLOB=FRACTION]: the extra work of the worked twin, as a fraction of each row's own cycles. */
  readonly inject: string;
  readonly outDir: string;
  readonly judgeOnly: boolean;
}

interface WorkPart {
  readonly pattern: RegExp;
  readonly fraction: number;
}

/** The --inject spec of a counted calibration: fractions of work, e.g. '*=0.01'. */
export function parseWorkFractions(spec: string): WorkPart[] {
  const parts = globParts(spec);
  if (parts.length === 0) parts.push(...globParts('='));
  return parts.map((part) => {
    if (part.glob === '' || !(part.value > 0 && part.value < 1))
      throw new UsageError(
        `--inject '${part.raw}': a counted calibration takes GLOB=FRACTION of extra work per call, ` +
          `a fraction between 0 and 1 (e.g. '*=0.01' for 1% more work on every row)`,
      );
    return { pattern: part.pattern, fraction: part.value };
  });
}

/** The worked twin's MODELBENCH_INJECT_WORK: per counted row of the baseline, its fraction of the row's cycles. */
export function workSpecFor(rows: Iterable<Row>, parts: readonly WorkPart[]): string {
  const entries: string[] = [];
  for (const row of rows) {
    if (row.estCyclesPerCall === undefined) continue;
    const key = rowKey(row);
    const fraction = parts.reduce((f, p) => (p.pattern.test(key) ? p.fraction : f), 0);
    if (fraction > 0) entries.push(`${key}=${Math.round(fraction * row.estCyclesPerCall)}`);
  }
  return entries.join(',');
}

/** One counted run of the suite into dir/side, with the environment variable of the worked twin when given. */
async function countedRun(s: CountedCalibrationSettings, dir: string, side: Side, workSpec?: string): Promise<void> {
  const seeds = seedsFrom(DEFAULT_BASE_SEED);
  const cells = s.suite.cells.filter((c) => measuredIn(c, ['instructions']));
  const plan = { cells, impls: [], backends: [...s.backends], timing: s.suite.timing, seeds };
  const options = { role: side, measure: ['instructions'], ...(workSpec ? { injectWork: workSpec } : {}) };
  const ctx = makeContext(s.suite.name, DEFAULT_BASE_SEED, seeds, options, new Date());
  const before = process.env[INJECT_WORK_ENV];
  if (workSpec) process.env[INJECT_WORK_ENV] = workSpec;
  else delete process.env[INJECT_WORK_ENV];
  try {
    await runPlan(
      { ...plan, measure: ['instructions'] },
      path.join(dir, side),
      { ...ctx, runId: `${ctx.runId}-${side}` },
      silentProgress,
    );
  } finally {
    if (before === undefined) delete process.env[INJECT_WORK_ENV];
    else process.env[INJECT_WORK_ENV] = before;
  }
}

/** Records how the folder's pairs are run, or refuses to go on with a folder run another way. */
function recordRun(s: CountedCalibrationSettings): void {
  const recorded = readRecorded(s.outDir);
  if (recorded && (recorded.inject !== s.inject || recorded.measure !== 'instructions')) {
    const was = `its pairs were run with --measure ${recorded.measure ?? 'time'} --inject '${recorded.inject}'`;
    throw new UsageError(`--out ${s.outDir}: ${was}; give another --out, or the same options to go on`);
  }
  if (recorded) return;
  fs.mkdirSync(s.outDir, { recursive: true });
  const record = { measure: 'instructions', inject: s.inject, suite: s.suite.name, backends: s.backends.join(',') };
  fs.writeFileSync(recordFile(s.outDir), JSON.stringify(record, null, 2) + '\n');
}

/** Runs the pairs not yet finished; a side already complete in the folder is kept. */
async function runPairs(s: CountedCalibrationSettings, say: (line: string) => void): Promise<void> {
  const parts = parseWorkFractions(s.inject);
  recordRun(s);
  for (let i = 1; i <= s.pairs; i++) {
    const dir = path.join(s.outDir, String(i));
    const started = Date.now();
    let ran = false;
    for (const side of SIDES) {
      if (finished(path.join(dir, side))) continue;
      fs.rmSync(path.join(dir, side), { recursive: true, force: true });
      const spec =
        side === 'worked' ? workSpecFor(pool(loadSide(path.join(dir, 'baseline'))).rows.values(), parts) : undefined;
      await countedRun(s, dir, side, spec);
      ran = true;
    }
    if (ran) say(`pair ${i} ran in ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

export interface CountedCalibrationOutcome {
  readonly judged: number;
  readonly falseAlarmPairs: number;
  readonly summary: string;
  readonly table: readonly string[];
}

/** Runs the pairs (unless judging only), judges every finished one, and writes DIR/summary.txt and DIR/rows.json. */
export async function calibrateCounted(
  s: CountedCalibrationSettings,
  say: (line: string) => void,
): Promise<CountedCalibrationOutcome> {
  if (!s.judgeOnly) await runPairs(s, say);
  const tallies = new Map<string, CountedTally>();
  const lines: string[] = [];
  let falseAlarmPairs = 0;
  const numbered = fs.existsSync(s.outDir)
    ? fs
        .readdirSync(s.outDir)
        .filter((d) => /^\d+$/.test(d))
        .map(Number)
    : [];
  for (const i of numbered.sort((a, b) => a - b)) {
    const dir = path.join(s.outDir, String(i));
    if (!SIDES.every((side) => finished(path.join(dir, side)))) continue;
    const { line, alarm } = judgePair(dir, i, tallies);
    if (alarm) falseAlarmPairs++;
    lines.push(line);
    say(line);
  }
  const summary =
    `counted gate: A/A false alarms (any row) ${falseAlarmPairs} of ${lines.length} pairs; ` +
    `worked twin ${s.inject} of each row's estimated cycles per call; ` +
    `minimum effect ${(100 * COUNTED_MIN_EFFECT).toFixed(1)}% or both sides' spread`;
  const table = tableOf(tallies, lines.length, s.inject);
  say(summary);
  say(table.join('\n'));
  if (lines.length > 0) {
    fs.writeFileSync(path.join(s.outDir, 'summary.txt'), [...lines, summary, '', ...table].join('\n') + '\n');
    const rows = Object.fromEntries(tallies);
    const judged = { measure: 'instructions', pairs: lines.length, falseAlarmPairs, inject: s.inject, rows, lines };
    fs.writeFileSync(path.join(s.outDir, 'rows.json'), JSON.stringify(judged, null, 2) + '\n');
  }
  return { judged: lines.length, falseAlarmPairs, summary, table };
}
