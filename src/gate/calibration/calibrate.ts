// Measures the compare gate's false-alarm and detection rates on this machine, row by row
// (`modelbench calibrate`). Each of PAIRS rounds interleaves builds of this same checkout, cell by
// cell: a baseline, an A/A twin, and a twin whose cells matching INJECT are slowed
// (MODELBENCH_INJECT_SLOWDOWN; under `scale:` the twin's own runs, scaled at judging: scaled-twin.ts).
// The gate then judges baseline vs twin (any regression, on any row, is a false alarm: family-wise)
// and baseline vs slowed twin: a slowed row counts as caught when the gate calls it a regression at
// the strictest level it would face alone (alpha / rows), so slowing every row at once does not make
// catching easier than catching one. Beside each row's detection rate it writes the minimum
// detectable effect the gate predicted for that row from the baseline (median over the pairs).
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { makeContext, REPO_ROOT } from '../../results/context.js';
import { loadSide, type LoadedRun } from '../../results/load-runs.js';
import { DEFAULT_BASE_SEED, seedsFrom } from '../../seeds.js';
import { pool } from '../../stats/pool.js';
import { INJECT_ENV, isInjected, parseInjection } from '../../timing/inject-slowdown.js';
import { silentProgress } from '../../timing/progress.js';
import { runInterleaved, type Build } from '../../timing/run-suite.js';
import type { Suite } from '../../timing/suite.js';
import { compare, GATE_DEFAULTS, type SpeedRow } from '../gate.js';
import { readEarlier, readRecorded, recordFile, type Earlier, type RowTally } from './earlier.js';
import { lowerMedian, markSuite } from './mark-suite.js';
import { scaledTwin } from './scaled-twin.js';

export interface CalibrationSettings {
  readonly pairs: number;
  /** Interleaved rounds per build in each pair. */
  readonly repeat: number;
  readonly suite: Suite;
  /** The suite as named on the command line: --mark writes into its file. */
  readonly suiteName: string;
  readonly backends: readonly string[];
  /** --backends as given, recorded in calibration.json. */
  readonly backendsOption?: string;
  /** The slowdown of the slowed twin: --inject for a run, what the folder recorded for a judging. */
  readonly inject?: string;
  readonly outDir: string;
  /** Run nothing: judge the finished pairs in outDir again. */
  readonly judgeOnly: boolean;
  /** A judged folder of an earlier sitting, counted first. */
  readonly earlier?: string;
  readonly mark: boolean;
}

export interface CalibrationOutcome {
  readonly judged: number;
  readonly summary: string;
  readonly table: readonly string[];
  /** The suite file --mark wrote. */
  readonly markedFile?: string;
}

/** The tallies of one judging: an earlier sitting's first, then each finished pair of the folder. */
interface Tally {
  readonly rows: Map<string, RowTally>;
  readonly lines: string[];
  readonly before?: Earlier;
  falseAlarms: number;
  judged: number;
  injectSpec?: string;
  calibratedSuite?: string;
}

type BuildName = 'baseline' | 'twin' | 'slowed';

/** Under `scale:`, the slowed side is the twin's runs scaled at judging (scaled-twin.ts): no third process. */
const buildsFor = (inject: string | undefined): readonly BuildName[] =>
  parseInjection(inject)?.mode === 'scale' ? ['baseline', 'twin'] : ['baseline', 'twin', 'slowed'];

/** How many complete runs a side's folder holds. */
export function completeRuns(side: string): number {
  if (!fs.existsSync(side)) return 0;
  return fs.readdirSync(side).filter((d) => {
    const file = path.join(side, d, 'results.json');
    if (!fs.existsSync(file)) return false;
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { context: { complete?: boolean } }).context.complete === true;
  }).length;
}

/** A pair is finished when every build has `repeat` complete runs. */
const isFinished = (dir: string, builds: readonly BuildName[], repeat: number): boolean =>
  builds.every((b) => completeRuns(path.join(dir, b)) >= repeat);

/** Records how the folder's pairs are run, or refuses to go on with a folder run another way. */
function recordRun(s: CalibrationSettings): void {
  const recorded = readRecorded(s.outDir);
  if (recorded && recorded.inject !== s.inject) {
    const fix = 'give another --out, or the same --inject to go on';
    const was = `its pairs were run with --inject '${recorded.inject}', not '${s.inject}'`;
    throw new UsageError(`--out ${s.outDir}: ${was}; ${fix}`);
  }
  if (recorded) return;
  fs.mkdirSync(s.outDir, { recursive: true });
  const record = { inject: s.inject, suite: s.suite.name, backends: s.backendsOption, repeat: s.repeat };
  fs.writeFileSync(recordFile(s.outDir), JSON.stringify(record, null, 2) + '\n');
}

/** Runs the pairs not yet finished (a folder holding finished pairs goes on from the next one). */
async function runPairs(s: CalibrationSettings, say: (line: string) => void): Promise<void> {
  recordRun(s);
  const names = buildsFor(s.inject);
  const seeds = seedsFrom(DEFAULT_BASE_SEED);
  const clean = { ...process.env };
  delete clean[INJECT_ENV];
  const builds: Build[] = names.map((name) => {
    const env = name === 'slowed' ? { ...clean, [INJECT_ENV]: s.inject } : clean;
    return { name, root: REPO_ROOT, env };
  });
  const plan = { cells: s.suite.cells, impls: [], backends: [...s.backends], timing: s.suite.timing, seeds };
  const contextFor = (build: Build, round: number) => {
    const options = { role: build.name, round, injectSlowdown: build.env?.[INJECT_ENV] };
    const ctx = makeContext(s.suite.name, DEFAULT_BASE_SEED, seeds, options, new Date());
    return { ...ctx, runId: `${ctx.runId}-${build.name}-r${round}` };
  };
  for (let i = 1; i <= s.pairs; i++) {
    const dir = path.join(s.outDir, String(i));
    if (isFinished(dir, names, s.repeat)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    const started = Date.now();
    await runInterleaved(plan, builds, s.repeat, dir, contextFor, silentProgress);
    say(`pair ${i} ran in ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

function rowOf(tally: Tally, key: string): RowTally {
  let t = tally.rows.get(key);
  if (!t) tally.rows.set(key, (t = { aaAlarms: 0, caught: 0, injected: 0, predicted: [], misses: [] }));
  return t;
}

/** Judges one finished pair into the tallies; returns its line. */
function judgePair(dir: string, i: number, inject: string | undefined, tally: Tally): string {
  const base = pool(loadSide(path.join(dir, 'baseline')));
  const twinRuns: LoadedRun[] = loadSide(path.join(dir, 'twin'));
  const scaled = parseInjection(inject)?.mode === 'scale';
  const slowedSide = scaled ? pool(scaledTwin(twinRuns, inject!)) : pool(loadSide(path.join(dir, 'slowed')));
  tally.injectSpec = (slowedSide.runs[0].context.options as { injectSlowdown?: string }).injectSlowdown;
  tally.calibratedSuite = base.runs[0].context.suite;
  const aa = compare(base, pool(twinRuns), GATE_DEFAULTS);
  const slow = compare(base, slowedSide, GATE_DEFAULTS);
  const alone = GATE_DEFAULTS.alpha / Math.max(1, aa.speed.filter((s) => s.p !== undefined).length);
  const alarms = aa.speed.filter((s) => s.verdict === 'regression');
  for (const s of aa.speed) {
    if (s.verdict === 'regression') rowOf(tally, s.key).aaAlarms++;
    if (s.p !== undefined) rowOf(tally, s.key).predicted.push(s.mde ?? Infinity);
  }
  const missed: SpeedRow[] = [];
  for (const s of slow.speed.filter((x) => isInjected(x.key, tally.injectSpec) && x.p !== undefined)) {
    const t = rowOf(tally, s.key);
    t.injected++;
    if (s.verdict === 'regression' && s.p! <= alone) t.caught++;
    else {
      missed.push(s);
      t.misses.push(`pair ${i}: ${s.detail}`);
    }
  }
  tally.judged++;
  tally.falseAlarms += alarms.length > 0 ? 1 : 0;
  const aaText = alarms.length > 0 ? `FALSE ALARM (${alarms.map((s) => `${s.key} ${s.detail}`).join('; ')})` : 'pass';
  const missedText = missed.map((s) => `${s.key} (${s.detail})`).join('; ');
  return `pair ${i}: A/A ${aaText}; injected: ${missed.length === 0 ? 'every row caught' : `missed ${missedText}`}`;
}

/** Judging: an earlier sitting's tallies first (--earlier), then every finished pair in the folder. */
function judgeFolder(s: CalibrationSettings, say: (line: string) => void): Tally {
  const { outDir } = s;
  const numbered = fs.existsSync(outDir)
    ? fs
        .readdirSync(outDir)
        .filter((d) => /^\d+$/.test(d))
        .map(Number)
        .sort((a, b) => a - b)
    : [];
  const now = { inject: s.inject, repeat: s.repeat, suite: s.suite.name };
  const before = s.earlier ? readEarlier(s.earlier, now, numbered) : undefined;
  const tally: Tally = {
    rows: new Map(Object.entries(before?.rows ?? {})),
    lines: [...(before?.lines ?? [])],
    before,
    falseAlarms: before?.falseAlarmPairs ?? 0,
    judged: before?.pairs ?? 0,
    injectSpec: before?.inject,
    calibratedSuite: before ? s.suite.name : undefined,
  };
  const builds = buildsFor(s.inject);
  for (const i of numbered) {
    const dir = path.join(outDir, String(i));
    if (!isFinished(dir, builds, s.repeat)) continue;
    const line = judgePair(dir, i, s.inject, tally);
    tally.lines.push(line);
    say(line);
  }
  return tally;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '> 100%');

/** The fraction the table and the marks are judged against: the largest injected (every row is slowed alike). */
function injectedFraction(spec: string | undefined): number {
  const fractions = parseInjection(spec)?.parts.map((p) => p.fraction) ?? [];
  return fractions.length > 0 ? Math.max(...fractions) : NaN;
}

function tableOf(tally: Tally, fraction: number): string[] {
  const cells = (t: RowTally) => [
    t.predicted.length ? pct(lowerMedian(t.predicted)) : '',
    t.injected ? `${t.caught} of ${t.injected}` : 'not slowed',
    `${t.aaAlarms} of ${tally.judged}`,
  ];
  return [
    '| row | predicted minimum detectable effect (median over pairs) | ' +
      `${pct(fraction)} slowdown caught | A/A false alarms |`,
    '|---|---:|---:|---:|',
    ...[...tally.rows.entries()].map(([key, t]) => `| ${key} | ${cells(t).join(' | ')} |`),
  ];
}

function summaryOf(tally: Tally, repeat: number): string {
  const gate = `alpha ${GATE_DEFAULTS.alpha}, minimum effect ${GATE_DEFAULTS.minEffect}`;
  return (
    `A/A false alarms (any row): ${tally.falseAlarms} of ${tally.judged} pairs; ` +
    `injected ${tally.injectSpec ?? 'nothing'}; ` +
    `${repeat} interleaved round(s) per side, ${gate}; a slowed row is caught when it is a regression at alpha / rows`
  );
}

/** DIR/summary.txt for a reader, DIR/rows.json for a later judging (--earlier) and for --mark. */
function writeJudged(s: CalibrationSettings, tally: Tally, summary: string, table: readonly string[]): void {
  const before = tally.before;
  const earlierNote = before ? [`pairs ${before.numbers} judged earlier, counted from ${s.earlier} (rows.json)`] : [];
  const misses = [...tally.rows.entries()].flatMap(([key, t]) => t.misses.map((m) => `${key} ${m}`));
  const text = [...earlierNote, ...tally.lines, summary, '', ...table, '', 'Misses:', ...misses].join('\n') + '\n';
  fs.writeFileSync(path.join(s.outDir, 'summary.txt'), text);
  const judged = {
    pairs: tally.judged,
    falseAlarmPairs: tally.falseAlarms,
    inject: tally.injectSpec,
    repeat: s.repeat,
    suite: tally.calibratedSuite,
    gate: GATE_DEFAULTS,
    rows: Object.fromEntries(tally.rows),
    lines: tally.lines,
  };
  fs.writeFileSync(path.join(s.outDir, 'rows.json'), JSON.stringify(judged, null, 2) + '\n');
}

function markFrom(s: CalibrationSettings, tally: Tally, fraction: number, say: (line: string) => void): string {
  if (tally.judged === 0) throw new UsageError(`--mark: no finished pair in ${s.outDir}; run the calibration first`);
  if (s.suite.name !== tally.calibratedSuite) {
    const fix = 'pass --suite with the suite they ran';
    const ran = `ran suite '${tally.calibratedSuite}', not '${s.suiteName}'`;
    throw new UsageError(`--mark: the pairs in ${s.outDir} ${ran}; ${fix}`);
  }
  return markSuite(s.suiteName, s.outDir, fraction, tally.judged, tally.rows, say);
}

/**
 * Runs the pairs (unless judging only), judges every finished one, writes the verdicts and, with
 * mark, the suite's marks. Each pair's line, the summary and the table are said as they come: a
 * calibration runs for hours, and a refused --mark still leaves the verdicts on screen.
 */
export async function calibrate(s: CalibrationSettings, say: (line: string) => void): Promise<CalibrationOutcome> {
  if (!s.judgeOnly) await runPairs(s, say);
  const tally = judgeFolder(s, say);
  const fraction = injectedFraction(tally.injectSpec);
  const table = tableOf(tally, fraction);
  const summary = summaryOf(tally, s.repeat);
  say(summary);
  say(table.join('\n'));
  if (tally.judged > 0) writeJudged(s, tally, summary, table);
  const markedFile = s.mark ? markFrom(s, tally, fraction, say) : undefined;
  return { judged: tally.judged, summary, table, markedFile };
}
