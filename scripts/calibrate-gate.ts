// Measures the compare gate's false-alarm and detection rates on this machine, row by row.
// Each of PAIRS rounds interleaves builds of this same checkout, cell by cell: a baseline, an A/A
// twin, and a twin whose cells matching INJECT are slowed (MODELBENCH_INJECT_SLOWDOWN; under `scale:`
// the twin's own runs, scaled at judging: scaled-twin.ts). The gate then judges baseline vs twin (any
// regression, on any row, is a false alarm: family-wise) and baseline vs slowed twin: a slowed row
// counts as caught when the gate calls it a regression at the strictest level it would face alone
// (alpha / rows), so slowing every row at once does not make catching easier than catching one.
// Beside each row's detection rate it writes the minimum detectable effect the gate predicted for that
// row from the baseline (median over the pairs). `--help` prints the options.
import fs from 'node:fs';
import path from 'node:path';
import { INJECT_ENV, isInjected, parseInjection } from '../src/timing/inject-slowdown.js';
import { silentProgress } from '../src/timing/progress.js';
import { runInterleaved, type Build } from '../src/timing/run-suite.js';
import { listSuites, loadSuite, type Suite } from '../src/timing/suite.js';
import { BACKENDS } from '../src/backends/registry.js';
import { defineCommand, helpText, parseCommand, wantsHelp } from '../src/cli/options.js';
import { parseNameList } from '../src/cli/usage.js';
import { UsageError } from '../src/errors.js';
import { compare, GATE_DEFAULTS, type SpeedRow } from '../src/gate/gate.js';
import { loadSide } from '../src/results/load-runs.js';
import { pool } from '../src/stats/pool.js';
import { makeContext, REPO_ROOT } from '../src/results/context.js';
import { DEFAULT_BASE_SEED, seedsFrom } from '../src/seeds.js';
import { lowerMedian, markSuite } from './mark-suite.js';
import { scaledTwin } from './scaled-twin.js';

const SPEC = defineCommand({
  name: 'calibrate-gate',
  program: 'npx tsx scripts/calibrate-gate.ts',
  summary: "Measures the compare gate's A/A false alarms and its detection of an injected slowdown on every row of a suite; writes DIR/summary.txt and DIR/rows.json.",
  options: {
    pairs: { type: 'string', value: 'N', default: '20', help: 'pairs to run (an --out holding finished pairs goes on from the next one, so a calibration can span several sittings)' },
    repeat: { type: 'string', value: 'N', default: '2', help: 'interleaved rounds per build in each pair (as the CI gate runs them)' },
    suite: { type: 'string', value: `${listSuites().join('|')}|FILE.json`, default: 'quick', help: 'the suite whose rows are calibrated' },
    backends: { type: 'string', value: 'a,b', default: 'wasm', help: `the backends (${BACKENDS.map((b) => b.name).join(', ')})` },
    inject: { type: 'string', value: '[scale:]GLOB=FRACTION', default: '*/wasm=0.10', help: "the slowdown of the slowed twin: a busy-wait in each matching call, or with scale: its timed samples multiplied (src/timing/inject-slowdown.ts says when a busy-wait is not additive)" },
    out: { type: 'string', value: 'DIR', help: 'where the pairs are written (default: results/calibration-<time>)' },
    judge: { type: 'string', value: 'DIR', help: 'run nothing: judge the finished pairs in DIR again (e.g. after a gate change)' },
    earlier: { type: 'string', value: 'DIR', help: "with --judge: count first the pairs an earlier sitting judged into DIR (its rows.json and summary.txt: for a calibration whose runs were not kept); the judged folder's pairs must be numbered after them" },
    mark: { type: 'boolean', default: false, help: 'write the verdict into the suite file (scripts/mark-suite.ts): a row claims the injected slowdown only when predicted and caught in 95% of pairs' },
  },
});

function positiveInt(raw: string, option: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${option} ${raw}: not a whole number of at least 1`);
  return n;
}

/** What a calibration folder was run with (DIR/calibration.json): a `scale:` calibration has no slowed runs to read it from. */
interface Recorded {
  readonly inject: string;
  readonly suite?: string;
  readonly repeat?: number;
}

const recordFile = (dir: string) => path.join(dir, 'calibration.json');
const readRecorded = (dir: string): Recorded | undefined => (fs.existsSync(recordFile(dir)) ? (JSON.parse(fs.readFileSync(recordFile(dir), 'utf8')) as Recorded) : undefined);

interface RowTally {
  aaAlarms: number;
  caught: number;
  injected: number;
  predicted: number[];
  misses: string[];
}

/** What a judged calibration folder's rows.json holds (older ones lack suite and lines: summary.txt has the lines). */
interface Judged {
  readonly pairs: number;
  readonly falseAlarmPairs: number;
  readonly inject?: string;
  readonly repeat?: number;
  readonly suite?: string;
  readonly gate?: unknown;
  readonly rows: Record<string, RowTally>;
  readonly lines?: string[];
}

/**
 * An earlier sitting's verdicts, to be counted with this folder's pairs: only when it was judged with
 * the same injection, rounds, suite and gate settings, and its pair numbers are below this folder's.
 */
function readEarlier(dir: string, now: { inject?: string; repeat: number; suite: string }, numbered: readonly number[]): Judged & { lines: string[]; numbers: string } {
  const file = path.join(dir, 'rows.json');
  if (!fs.existsSync(file)) throw new UsageError(`--earlier ${dir}: no rows.json there; give the folder of a judged calibration (its summary.txt and rows.json)`);
  let j: Judged;
  try {
    j = JSON.parse(fs.readFileSync(file, 'utf8')) as Judged;
  } catch (e) {
    throw new UsageError(`--earlier ${file}: not JSON (${e instanceof Error ? e.message : String(e)}); it is written by calibrate-gate's judging`);
  }
  if (!j || typeof j.pairs !== 'number' || !j.rows) throw new UsageError(`--earlier ${file}: no "pairs" and "rows"; it is written by calibrate-gate's judging`);
  const differs = (what: string, was: unknown, is: unknown) => {
    if (JSON.stringify(was) !== JSON.stringify(is)) throw new UsageError(`--earlier ${dir}: its pairs were judged with ${what} ${JSON.stringify(was)}, these with ${JSON.stringify(is)}; only a calibration run the same way can be counted with it`);
  };
  differs('--inject', j.inject, now.inject);
  differs('--repeat', j.repeat, now.repeat);
  differs('gate settings', j.gate, GATE_DEFAULTS);
  const suite = j.suite ?? readRecorded(dir)?.suite;
  differs('--suite', suite, now.suite);
  const summaryFile = path.join(dir, 'summary.txt');
  const lines = j.lines ?? (fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8').split('\n').filter((l) => /^pair \d+: A\/A /.test(l)) : []);
  const numbers = lines.map((l) => Number(/^pair (\d+):/.exec(l)![1]));
  if (numbers.length !== j.pairs) throw new UsageError(`--earlier ${dir}: rows.json counts ${j.pairs} pairs but ${numbers.length} pair lines were found (rows.json "lines" or summary.txt); the folder is incomplete`);
  const last = Math.max(0, ...numbers);
  const clash = numbered.find((n) => n <= last);
  if (clash !== undefined) throw new UsageError(`pair ${clash} of this folder is numbered within the earlier sitting's (up to ${last}); number this folder's pairs from ${last + 1} (e.g. symbolic links named ${last + 1}, ${last + 2}, ...)`);
  // JSON wrote a prediction beyond the search (Infinity) as null.
  const rows = Object.fromEntries(Object.entries(j.rows).map(([key, t]) => [key, { ...t, predicted: t.predicted.map((x) => x ?? Infinity) }]));
  const numbersText = numbers.length > 0 && numbers.every((n, k) => n === numbers[0] + k) ? `${numbers[0]}-${last}` : numbers.join(', ');
  return { ...j, rows, lines, numbers: numbersText };
}


async function main(argv: string[]): Promise<void> {
  const { values } = parseCommand(SPEC, argv);
  const pairs = positiveInt(values.pairs!, 'pairs');
  const outDir = values.judge ?? values.out ?? `results/calibration-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  if (values.earlier && !values.judge) throw new UsageError('--earlier counts an earlier sitting in with a judging only: run the pairs first, then judge them with --judge DIR --earlier EARLIER');
  if (values.judge && !fs.existsSync(values.judge)) throw new UsageError(`--judge ${values.judge}: no such folder; give the --out of a calibration`);
  let suite: Suite;
  try {
    suite = loadSuite(values.suite!);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const backends = parseNameList(values.backends, BACKENDS.map((b) => b.name), 'backend');
  if (!values.judge) {
    try {
      parseInjection(values.inject);
    } catch (e) {
      throw new UsageError(`--inject: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  const recorded = readRecorded(outDir);
  const repeat = values.judge && recorded?.repeat ? recorded.repeat : positiveInt(values.repeat!, 'repeat');
  if (!values.judge) {
    if (recorded && recorded.inject !== values.inject) throw new UsageError(`--out ${outDir}: its pairs were run with --inject '${recorded.inject}', not '${values.inject}'; give another --out, or the same --inject to go on`);
    if (!recorded) {
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(recordFile(outDir), JSON.stringify({ inject: values.inject, suite: suite.name, backends: values.backends, repeat }, null, 2) + '\n');
    }
  }
  const inject = values.judge ? recorded?.inject : values.inject;
  const scaled = parseInjection(inject)?.mode === 'scale';
  // Under `scale:`, the slowed side is the twin's runs scaled at judging (scaled-twin.ts): no third process.
  const BUILDS = scaled ? (['baseline', 'twin'] as const) : (['baseline', 'twin', 'slowed'] as const);

  /** A pair is finished when every build has `repeat` complete runs. */
  const finished = (dir: string): boolean =>
    BUILDS.every((b) => {
      const side = path.join(dir, b);
      if (!fs.existsSync(side)) return false;
      const complete = fs.readdirSync(side).filter((d) => {
        const file = path.join(side, d, 'results.json');
        return fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { context: { complete?: boolean } }).context.complete === true;
      });
      return complete.length >= repeat;
    });

  if (!values.judge) {
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

  // Judging: an earlier sitting's tallies first (--earlier), then every finished pair in the folder.
  const numbered = fs.existsSync(outDir) ? fs.readdirSync(outDir).filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => a - b) : [];
  const before = values.earlier ? readEarlier(values.earlier, { inject, repeat, suite: suite.name }, numbered) : undefined;
  const tally = new Map<string, RowTally>(Object.entries(before?.rows ?? {}));
  const row = (key: string) => {
    let t = tally.get(key);
    if (!t) tally.set(key, (t = { aaAlarms: 0, caught: 0, injected: 0, predicted: [], misses: [] }));
    return t;
  };
  const lines: string[] = [...(before?.lines ?? [])];
  let falseAlarms = before?.falseAlarmPairs ?? 0;
  let judged = before?.pairs ?? 0;
  let injectSpec: string | undefined = before?.inject;
  let calibratedSuite: string | undefined = before ? suite.name : undefined;
  for (const i of numbered) {
    const dir = path.join(outDir, String(i));
    if (!finished(dir)) continue;
    const side = (name: string) => pool(loadSide(path.join(dir, name)));
    const base = side('baseline');
    const twinRuns = loadSide(path.join(dir, 'twin'));
    const slowedSide = scaled ? pool(scaledTwin(twinRuns, inject!)) : side('slowed');
    injectSpec = (slowedSide.runs[0].context.options as { injectSlowdown?: string }).injectSlowdown;
    calibratedSuite = base.runs[0].context.suite;
    const aa = compare(base, pool(twinRuns), GATE_DEFAULTS);
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
    const earlierNote = before ? [`pairs ${before.numbers} judged earlier, counted from ${values.earlier} (rows.json)`] : [];
    fs.writeFileSync(path.join(outDir, 'summary.txt'), [...earlierNote, ...lines, summary, '', ...table, '', 'Misses:', ...[...tally.entries()].flatMap(([key, t]) => t.misses.map((m) => `${key} ${m}`))].join('\n') + '\n');
    fs.writeFileSync(path.join(outDir, 'rows.json'), JSON.stringify({ pairs: judged, falseAlarmPairs: falseAlarms, inject: injectSpec, repeat, suite: calibratedSuite, gate: GATE_DEFAULTS, rows: Object.fromEntries(tally), lines }, null, 2) + '\n');
  }
  if (values.mark) {
    if (judged === 0) throw new UsageError(`--mark: no finished pair in ${outDir}; run the calibration first`);
    if (suite.name !== calibratedSuite) throw new UsageError(`--mark: the pairs in ${outDir} ran suite '${calibratedSuite}', not '${values.suite}'; pass --suite with the suite they ran`);
    const file = markSuite(values.suite!, outDir, injectedFraction, judged, tally);
    console.log(`marks written to ${file}`);
  }
}

const argv = process.argv.slice(2);
if (wantsHelp(argv)) {
  process.stdout.write(helpText(SPEC));
} else {
  main(argv).catch((e: unknown) => {
    // A usage error or a bad folder is one line with its fix; anything else is a bug, shown whole.
    process.stderr.write(e instanceof UsageError ? `calibrate-gate: ${e.message}\n` : `calibrate-gate: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  });
}
