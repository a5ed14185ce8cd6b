// Measures the compare gate's false-alarm and detection rates on this machine, row by row.
// Each of PAIRS rounds interleaves three builds of this same checkout, cell by cell: a baseline, an
// A/A twin, and a twin whose cells matching INJECT are slowed (MODELBENCH_INJECT_SLOWDOWN). The gate
// then judges baseline vs twin (any regression, on any row, is a false alarm: family-wise) and
// baseline vs slowed twin: a slowed row counts as caught when the gate calls it a regression at the
// strictest level it would face alone (alpha / rows), so slowing every row at once does not make
// catching easier than catching one. Beside each row's detection rate it writes the minimum
// detectable effect the gate predicted for that row from the baseline (median over the pairs).
//   usage: npx tsx scripts/calibrate-gate.ts [--pairs 20] [--repeat 2] [--suite quick] [--backends wasm]
//          [--inject '*/wasm=0.10'] [--out results/calibration-<stamp>] [--mark]
//          --inject 'scale:*/cpu=0.10' scales the slowed twin's samples instead of busy-waiting in its calls
//          (inject-slowdown.ts: the cpu backend's allocation-heavy calls do not slow additively under a busy-wait).
//          An --out that already holds finished pairs goes on from the next one (a long calibration
//          can be spread over several sittings); --judge DIR judges saved pairs again, e.g. after a gate change.
//          --mark writes the verdict into the suite file (mark-suite.ts): a calibrated row is left unmarked
//          only when it is within reach of the injected slowdown by both measures.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { INJECT_ENV, isInjected, parseInjection } from '../src/bench/inject-slowdown.js';
import { silentProgress } from '../src/bench/progress.js';
import { runInterleaved, type Build } from '../src/bench/run-suite.js';
import { loadSuite } from '../src/bench/suite.js';
import { compare, GATE_DEFAULTS, type SpeedRow } from '../src/compare/gate.js';
import { loadSide } from '../src/compare/load-runs.js';
import { pool } from '../src/compare/pool.js';
import { makeContext, REPO_ROOT } from '../src/report/context.js';
import { DEFAULT_BASE_SEED, seedsFrom } from '../src/seeds.js';
import { lowerMedian, markSuite } from './mark-suite.js';
import { scaledTwin } from './scaled-twin.js';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '20' },
    repeat: { type: 'string', default: '2' },
    judge: { type: 'string' },
    suite: { type: 'string', default: 'quick' },
    backends: { type: 'string', default: 'wasm' },
    inject: { type: 'string', default: '*/wasm=0.10' },
    out: { type: 'string', default: `results/calibration-${new Date().toISOString().replace(/[:.]/g, '-')}` },
    mark: { type: 'boolean', default: false },
  },
});
const pairs = Number(values.pairs);
const repeat = Number(values.repeat);
const outDir = values.judge ?? values.out!;

// What the folder was calibrated with, kept beside the pairs: a `scale:` calibration has no slowed runs to read it from.
const recordFile = path.join(outDir, 'calibration.json');
const recorded = fs.existsSync(recordFile) ? (JSON.parse(fs.readFileSync(recordFile, 'utf8')) as { inject: string }) : undefined;
if (!values.judge) {
  if (recorded && recorded.inject !== values.inject) throw new Error(`--out ${outDir}: its pairs were run with --inject '${recorded.inject}', not '${values.inject}'; give another --out, or the same --inject to go on`);
  if (!recorded) {
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(recordFile, JSON.stringify({ inject: values.inject, suite: values.suite, backends: values.backends, repeat }, null, 2) + '\n');
  }
}
const inject = values.judge ? recorded?.inject : values.inject;
const scaled = parseInjection(inject)?.mode === 'scale';
// Under `scale:`, the slowed side is the twin's runs scaled at judging (scaled-twin.ts): no third process.
const BUILDS = scaled ? (['baseline', 'twin'] as const) : (['baseline', 'twin', 'slowed'] as const);

/** A pair is finished when every build has `repeat` complete runs. */
function finished(dir: string): boolean {
  return BUILDS.every((b) => {
    const side = path.join(dir, b);
    if (!fs.existsSync(side)) return false;
    const complete = fs.readdirSync(side).filter((d) => {
      const file = path.join(side, d, 'results.json');
      return fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { context: { complete?: boolean } }).context.complete === true;
    });
    return complete.length >= repeat;
  });
}

if (!values.judge) {
  const suite = loadSuite(values.suite!);
  const backends = values.backends!.split(',');
  const seeds = seedsFrom(DEFAULT_BASE_SEED);
  const clean = { ...process.env };
  delete clean[INJECT_ENV];
  const builds: Build[] = BUILDS.map((name) => ({ name, root: REPO_ROOT, env: name === 'slowed' ? { ...clean, [INJECT_ENV]: values.inject } : clean }));
  for (let i = 1; i <= pairs; i++) {
    const dir = path.join(outDir, String(i));
    if (finished(dir)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    const started = Date.now();
    await runInterleaved(
      { cells: suite.cells, impls: [], backends, timing: suite.timing, seeds },
      builds,
      repeat,
      dir,
      (build, round) => {
        const ctx = makeContext(suite.name, DEFAULT_BASE_SEED, seeds, { role: build.name, round, injectSlowdown: build.env?.[INJECT_ENV] }, new Date());
        return { ...ctx, runId: `${ctx.runId}-${build.name}-r${round}` };
      },
      silentProgress,
    );
    console.log(`pair ${i} ran in ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

// Judging: every finished pair in the folder.
interface RowTally {
  aaAlarms: number;
  caught: number;
  injected: number;
  predicted: number[];
  misses: string[];
}
const tally = new Map<string, RowTally>();
const row = (key: string) => {
  let t = tally.get(key);
  if (!t) tally.set(key, (t = { aaAlarms: 0, caught: 0, injected: 0, predicted: [], misses: [] }));
  return t;
};
const lines: string[] = [];
let falseAlarms = 0;
let judged = 0;
let injectSpec: string | undefined;
let calibratedSuite: string | undefined;
const numbered = fs.existsSync(outDir) ? fs.readdirSync(outDir).filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => a - b) : [];
for (const i of numbered) {
  const dir = path.join(outDir, String(i));
  if (!finished(dir)) continue;
  const side = (name: string) => pool(loadSide(path.join(dir, name)));
  const base = side('baseline');
  const slowedSide = scaled ? pool(scaledTwin(loadSide(path.join(dir, 'twin')), inject!)) : side('slowed');
  injectSpec = (slowedSide.runs[0].context.options as { injectSlowdown?: string }).injectSlowdown;
  calibratedSuite = base.runs[0].context.suite;
  const aa = compare(base, side('twin'), GATE_DEFAULTS);
  const slow = compare(base, slowedSide, GATE_DEFAULTS);
  const judgedRows = aa.speed.filter((s) => s.p !== undefined).length;
  const alone = GATE_DEFAULTS.alpha / Math.max(1, judgedRows);
  const alarms = aa.speed.filter((s) => s.verdict === 'regression');
  for (const s of aa.speed) {
    if (s.verdict === 'regression') row(s.key).aaAlarms++;
    if (s.p !== undefined) row(s.key).predicted.push(s.mde ?? Infinity);
  }
  const missed: SpeedRow[] = [];
  for (const s of slow.speed.filter((x) => isInjected(x.key, injectSpec) && x.p !== undefined)) {
    const t = row(s.key);
    t.injected++;
    if (s.verdict === 'regression' && s.p! <= alone) t.caught++;
    else {
      missed.push(s);
      t.misses.push(`pair ${i}: ${s.detail}`);
    }
  }
  judged++;
  falseAlarms += alarms.length > 0 ? 1 : 0;
  const line = `pair ${i}: A/A ${alarms.length > 0 ? `FALSE ALARM (${alarms.map((s) => `${s.key} ${s.detail}`).join('; ')})` : 'pass'}; injected: ${missed.length === 0 ? 'every row caught' : `missed ${missed.map((s) => `${s.key} (${s.detail})`).join('; ')}`}`;
  lines.push(line);
  console.log(line);
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '> 100%');

// The fraction the table and the marks are judged against: the largest injected (a calibration slows every calibrated row alike).
const fractions = parseInjection(injectSpec)?.parts.map((p) => p.fraction) ?? [];
const injectedFraction = fractions.length > 0 ? Math.max(...fractions) : NaN;
const table = [
  `| row | predicted minimum detectable effect (median over pairs) | ${pct(injectedFraction)} slowdown caught | A/A false alarms |`,
  '|---|---:|---:|---:|',
  ...[...tally.entries()].map(([key, t]) => `| ${key} | ${t.predicted.length ? pct(lowerMedian(t.predicted)) : ''} | ${t.injected ? `${t.caught} of ${t.injected}` : 'not slowed'} | ${t.aaAlarms} of ${judged} |`),
];
const summary = `A/A false alarms (any row): ${falseAlarms} of ${judged} pairs; injected ${injectSpec ?? 'nothing'}; ${repeat} interleaved round(s) per side, alpha ${GATE_DEFAULTS.alpha}, minimum effect ${GATE_DEFAULTS.minEffect}; a slowed row is caught when it is a regression at alpha / rows`;
console.log(summary);
console.log(table.join('\n'));
if (judged > 0) {
  fs.writeFileSync(path.join(outDir, 'summary.txt'), [...lines, summary, '', ...table, '', 'Misses:', ...[...tally.entries()].flatMap(([key, t]) => t.misses.map((m) => `${key} ${m}`))].join('\n') + '\n');
  fs.writeFileSync(path.join(outDir, 'rows.json'), JSON.stringify({ pairs: judged, falseAlarmPairs: falseAlarms, inject: injectSpec, repeat, gate: GATE_DEFAULTS, rows: Object.fromEntries(tally) }, null, 2) + '\n');
}
if (values.mark) {
  if (judged === 0) throw new Error(`--mark: no finished pair in ${outDir}; run the calibration first`);
  if (loadSuite(values.suite!).name !== calibratedSuite) throw new Error(`--mark: the pairs in ${outDir} ran suite '${calibratedSuite}', not '${values.suite}'; pass --suite with the suite they ran`);
  const file = markSuite(values.suite!, outDir, injectedFraction, judged, tally);
  console.log(`marks written to ${file}`);
}
