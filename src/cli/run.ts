// `modelbench run`: expand the suite, run it backend by backend, write results/<run-id>/.
import fs from 'node:fs';
import path from 'node:path';
import { BACKENDS, backendByName } from '../backends/registry.js';
import { makeProgress, type Progress } from '../bench/progress.js';
import { INJECT_ENV } from '../bench/inject-slowdown.js';
import { hardLimitMs, runInterleaved, runPlan, type Build, type SuitePlan } from '../bench/run-suite.js';
import { parseImplOption, planImplementations } from '../impl/plan.js';
import { conformanceOf, referenceTarget, type ConformanceRecord } from '../impl/conformance.js';
import type { ImplUnderTest } from '../impl/run-impl-cell.js';
import { wasmBackend } from '../backends/wasm.js';
import { writeFilesAtomic } from '../report/atomic-write.js';
import { buildScorecard, renderScorecard, type ScorecardLine } from '../report/scorecard.js';
import type { RunWriter } from '../report/run-writer.js';
import type { Row } from '../types.js';
import type { Limits } from '../validate/client.js';
import { sandboxLine, sandboxStatus } from '../validate/sandbox.js';
import { chooseSandbox, parseEnv } from './validate.js';
import { listSuites, loadSuite, sizeLabel, suiteFile, type Cell, type Suite } from '../bench/suite.js';
import { MODELS } from '../models/registry.js';
import { makeContext, runStamp } from '../report/context.js';
import { createExclusiveDir } from '../report/run-writer.js';
import { isFailing, measuredDetectableLines, peerComparison, summaryTable, type MeasuredDetectable } from '../report/summary.js';
import { DEFAULT_BASE_SEED, seedsFrom, type Seeds } from '../seeds.js';
import { defineCommand, parseCommand, parseSeed, type Values } from './options.js';
import { parseNameList, UsageError } from './usage.js';

export const DEFAULT_SUITE = 'quick';
export const DEFAULT_OUT_DIR = 'results';
export const DEFAULT_INTERLEAVE_REPEAT = 3;

interface InterleavedOptions {
  suite: string;
  baseSeed: number;
  seeds: Seeds;
  models: string[];
  backends: string[];
  out: string;
  repeat: number;
  baselineRoot?: string;
  plan: SuitePlan;
}

function checkBaselineRoot(root: string): string {
  const abs = path.resolve(root);
  if (!fs.existsSync(path.join(abs, 'src/bench/worker.ts'))) {
    throw new UsageError(`--interleave ${root}: no src/bench/worker.ts there; give a modelbench checkout of the baseline (e.g. git worktree add ../baseline main && (cd ../baseline && npm ci))`);
  }
  if (!fs.existsSync(path.join(abs, 'node_modules/@tensorflow/tfjs'))) {
    throw new UsageError(`--interleave ${root}: its dependencies are not installed; run npm ci in it first`);
  }
  return abs;
}

/** Rounds of (baseline, this build) alternating cell by cell, or of this build alone. */
async function interleavedCommand(o: InterleavedOptions): Promise<number> {
  // Its own folder, made exclusively: two sessions started together must not pool into one side.
  const dir = path.join(o.out, createExclusiveDir(o.out, `${runStamp(new Date())}-${o.suite}-${o.baselineRoot ? 'interleaved' : 'repeat'}`));
  const injection = process.env[INJECT_ENV];
  const withoutInjection = { ...process.env };
  delete withoutInjection[INJECT_ENV];
  const builds: Build[] = o.baselineRoot
    ? [{ name: 'baseline', root: checkBaselineRoot(o.baselineRoot), env: withoutInjection }, { name: 'candidate' }]
    : [{ name: 'candidate' }];
  const contextFor = (build: Build, round: number) => {
    const ctx = makeContext(o.suite, o.baseSeed, o.seeds, { suite: o.suite, models: o.models, backends: o.backends, role: build.name, round, repeat: o.repeat, timing: o.plan.timing, injectSlowdown: build.env ? undefined : injection }, new Date(), build.root);
    return { ...ctx, runId: `${ctx.runId}-${build.name}-r${round}` };
  };
  const writers = await runInterleaved(o.plan, builds, o.repeat, dir, contextFor, makeProgress());
  const rows = [...writers.values()].flat().flatMap((w) => [...w.all()]);
  for (const [name, ws] of writers) process.stdout.write(`${name}: ${ws.length} run(s) in ${path.join(dir, name)}\n`);
  if (o.baselineRoot) process.stdout.write(`compare with: modelbench compare ${path.join(dir, 'baseline')} ${path.join(dir, 'candidate')}\n`);
  const bad = rows.filter(isFailing);
  process.stdout.write(bad.length > 0 ? `INVALID: ${bad.length} row(s) errored or failed their check\n` : 'VALID: every check passed\n');
  return bad.length > 0 ? 1 : 0;
}

export const RUN_COMMAND = defineCommand({
  name: 'run',
  summary: 'Runs a suite: one fresh child process per backend and cell; writes results/<run-id>/{results.csv,results.json,samples.csv,summary.txt}.',
  options: {
    suite: { type: 'string', value: `${listSuites().join('|')}|FILE.json`, default: DEFAULT_SUITE, help: 'the suite (suites/NAME.json), or a suite file of your own' },
    models: { type: 'string', value: 'a,b', help: `only these models (${MODELS.map((m) => m.name).join(', ')})` },
    backends: { type: 'string', value: 'a,b|all', help: `only these backends (${BACKENDS.map((b) => b.name).join(', ')}); default: all but ${BACKENDS.filter((b) => b.optIn).map((b) => b.name).join(', ')} (opt-in: ${BACKENDS.find((b) => b.optIn)?.optIn ?? ''}); all: every one` },
    out: { type: 'string', value: 'DIR', default: DEFAULT_OUT_DIR, help: 'where run folders are written' },
    seed: { type: 'string', value: 'N', default: String(DEFAULT_BASE_SEED), help: 'base seed of the data, init and sampling seeds' },
    impl: { type: 'string', value: 'NAME=TARGET|NAME', multiple: true, help: 'also time this implementation under test (a module or a command speaking protocol 2; or a bundled one by name) on the suite cells it offers' },
    'no-reference': { type: 'boolean', default: false, help: 'do not time our own implementation (only the --impl ones and the suite\'s bundled ones)' },
    'skip-peers': { type: 'boolean', default: false, help: "do not time the suite's bundled implementations (its peers)" },
    env: { type: 'string', value: 'NAME=VALUE', multiple: true, help: 'an environment variable for the implementations under test (theirs is otherwise cleared)' },
    'impl-memory': { type: 'string', value: 'MB', default: '16384', help: "memory limit of each implementation's process" },
    'impl-timeout': { type: 'string', value: 'SECONDS', help: "time limit per request to an implementation (default: the suite's hard limit per cell, 2 x maxCellSeconds + 120 s)" },
    'no-sandbox': { type: 'boolean', default: false, help: 'run implementations under test without the bwrap sandbox (required where none exists)' },
    conformance: { type: 'boolean', default: false, help: "also run validate's conformance checks on every implementation (ours too) for the run's models, and write scorecard.md and conformance.json" },
    repeat: { type: 'string', value: 'N', help: `rounds of this build (with --interleave: per side, default ${DEFAULT_INTERLEAVE_REPEAT})` },
    interleave: { type: 'string', value: 'BASELINE_CHECKOUT', help: 'time another checkout beside this one, cell by cell in paired bursts on one CPU, for the CI gate' },
  },
});

/** validate's checks on each implementation (and ours, given limits for it), one model at a time. */
async function runConformance(impls: readonly ImplUnderTest[], ours: Limits | undefined, models: readonly string[], log: (line: string) => void): Promise<ConformanceRecord[]> {
  const { tf } = await wasmBackend.activate();
  const reference = referenceTarget();
  const all = [...(ours && reference ? [{ name: 'modelbench', target: reference, limits: ours }] : []), ...impls];
  const records: ConformanceRecord[] = [];
  for (const impl of all) {
    log(`conformance: ${impl.name}`);
    records.push(...(await conformanceOf(impl, models, tf, (line) => log(`[impl] ${line}`), (model, o) => log(`  ${o.status.padEnd(7)} ${model} ${o.check}`))));
  }
  return records;
}

/** What a run produced: the CLI prints it, the library API (src/api.ts) returns it. */
export interface RunOutcome {
  /** 0 every row passed, 1 a row errored or failed its check. */
  readonly code: number;
  readonly verdict: 'VALID' | 'INVALID';
  readonly dir: string;
  readonly files: RunWriter['files'];
  readonly rows: readonly Row[];
  readonly scorecard?: readonly ScorecardLine[];
  readonly conformance?: readonly ConformanceRecord[];
}

export interface RunIo {
  /** Where the CLI's report text goes (stdout); the API drops it. */
  readonly say: (text: string) => void;
  /** The implementations' own output and progress notes (stderr). */
  readonly log: (line: string) => void;
  readonly progress: Progress;
}

export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(RUN_COMMAND, argv);
  const io: RunIo = { say: (t) => process.stdout.write(t), log: (line) => process.stderr.write(`${line}\n`), progress: makeProgress() };
  const outcome = await executeRun(values, io);
  return typeof outcome === 'number' ? outcome : outcome.code;
}

/** The suite's marks on the cells and backends of this run: what its gate calibration measured where the target was out of reach. */
function measuredDetectable(suite: Suite, cells: readonly Cell[], backends: readonly string[]): MeasuredDetectable | undefined {
  const marks = cells.flatMap((c) => Object.entries(c.measuredDetectable ?? {}).filter(([b]) => backends.includes(b)).map(([backend, mark]) => ({ cell: `${c.model}/${c.workload}/${sizeLabel(c.size)}`, backend, ...mark })));
  return marks.length === 0 ? undefined : { calibration: suite.calibration, marks };
}

/** A parsed `run`: the interleaved forms return their exit code, a plain run its outcome. */
export async function executeRun(values: Values<typeof RUN_COMMAND.options>, io: RunIo): Promise<RunOutcome | number> {
  if (!suiteFile(values.suite!)) throw new UsageError(`unknown suite '${values.suite}'; valid suites: ${listSuites().join(', ')}, or a path to a suite FILE.json`);
  let suite;
  try {
    suite = loadSuite(values.suite!);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  // The suite file names backends in two places; the registry is known here, not where the file is read.
  const knownBackends = (where: string, names: readonly string[]) => {
    const unknown = names.find((name) => !backendByName(name));
    if (unknown) throw new UsageError(`suite ${suite.name}: ${where} names unknown backend '${unknown}'; valid backends: ${BACKENDS.map((b) => b.name).join(', ')}`);
  };
  for (const c of suite.cells) knownBackends(`cell ${c.model}/${c.workload}: "measuredDetectable"`, Object.keys(c.measuredDetectable ?? {}));
  knownBackends('"calibration"', Object.keys(suite.calibration ?? {}));
  const models = parseNameList(values.models, MODELS.map((m) => m.name), 'model');
  const backends = values.backends === 'all' ? BACKENDS.map((b) => b.name) : values.backends === undefined ? BACKENDS.filter((b) => !b.optIn).map((b) => b.name) : parseNameList(values.backends, BACKENDS.map((b) => b.name), 'backend');
  const baseSeed = parseSeed(values.seed, DEFAULT_BASE_SEED);
  const seeds = seedsFrom(baseSeed);
  const cells = values['no-reference'] ? [] : suite.cells.filter((c) => models.includes(c.model));
  const implNames = [...(values['skip-peers'] ? [] : suite.implementations.map((i) => i.name)), ...values.impl];
  const memoryMb = Number(values['impl-memory']);
  if (!(memoryMb >= 64)) throw new UsageError(`--impl-memory must be at least 64 (MB), got '${values['impl-memory']}'`);
  const timeoutS = values['impl-timeout'] === undefined ? undefined : Number(values['impl-timeout']);
  if (timeoutS !== undefined && !(timeoutS > 0)) throw new UsageError(`--impl-timeout must be a positive number of seconds, got '${values['impl-timeout']}'`);
  const limits = () => ({ timeoutMs: timeoutS !== undefined ? timeoutS * 1000 : Number.isFinite(hardLimitMs(suite.timing)) ? hardLimitMs(suite.timing) : 30 * 60 * 1000, memoryMb, sandbox: chooseSandbox(values['no-sandbox']), env: parseEnv(values.env) });
  const impls = implNames.length === 0 ? [] : implNames.map((v) => parseImplOption(v, limits()));
  if (impls.length === 0 && values['no-reference']) throw new UsageError('--no-reference leaves nothing to time: add --impl NAME=TARGET, or a suite with bundled implementations');
  const quiet = (line: string) => io.log(`[impl] ${line}`);
  const planned = await planImplementations(impls, suite, models, quiet);
  if (cells.length === 0 && planned.every((p) => p.cells.length === 0)) {
    // A run that measures nothing must not say VALID.
    const has = [...new Set(suite.cells.map((c) => c.model))];
    throw new UsageError(`suite ${suite.name} has no cells for ${models.join(', ')} (its models: ${has.join(', ') || 'none'}): choose --models from those, or another --suite`);
  }
  const repeat = values.repeat === undefined ? (values.interleave ? DEFAULT_INTERLEAVE_REPEAT : 1) : Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError(`--repeat must be a positive integer, got '${values.repeat}'`);
  if ((values.interleave !== undefined || repeat > 1) && planned.length > 0) throw new UsageError('--interleave and --repeat time our builds only: drop them, or the --impl options (rounds of an implementation: run it again into another --out and compare)');
  if (values.interleave !== undefined || repeat > 1) {
    return interleavedCommand({ suite: suite.name, baseSeed, seeds, models, backends, out: values.out!, repeat, baselineRoot: values.interleave, plan: { cells, impls: [], backends, timing: suite.timing, seeds } });
  }
  const context = makeContext(suite.name, baseSeed, seeds, { suite: suite.name, models, backends, out: values.out, skipPeers: values['skip-peers'], implementations: planned.map((p) => ({ name: p.impl.name, target: p.impl.target })), noReference: values['no-reference'], timing: suite.timing, injectSlowdown: process.env[INJECT_ENV], measuredDetectable: measuredDetectable(suite, cells, backends) });
  if (planned.length > 0) io.log(sandboxLine(limits().sandbox, sandboxStatus()));
  const writer = await runPlan({ cells, impls: planned, backends: values['no-reference'] ? [] : backends, timing: suite.timing, seeds }, values.out!, context, io.progress, quiet);
  const rows = writer.all();
  io.say(summaryTable(rows, { detectable: true }) + '\n\n');
  const marked = measuredDetectableLines(context);
  if (marked) io.say(`${marked}\n\n`);
  const versus = peerComparison(rows);
  if (versus) io.say(`against the implementations under test (time ratio < 1: ours is faster):\n${versus}\n\n`);
  for (const b of context.backends.filter((x) => !x.available)) io.say(`${b.name}: unavailable (${b.reason})\n`);
  let scorecard: ScorecardLine[] | undefined;
  let records: ConformanceRecord[] | undefined;
  if (values.conformance) {
    records = await runConformance(planned.filter((p) => !p.blocked).map((p) => p.impl), values['no-reference'] ? undefined : { timeoutMs: 30 * 60 * 1000, memoryMb: 16384, sandbox: 'none' }, [...new Set([...cells, ...planned.flatMap((p) => p.cells)].map((c) => c.model))], io.log);
    scorecard = buildScorecard(rows, records);
    writeFilesAtomic([
      { file: path.join(writer.files.dir, 'conformance.json'), content: JSON.stringify(records, null, 2) + '\n' },
      { file: path.join(writer.files.dir, 'scorecard.md'), content: renderScorecard(scorecard, 'markdown') },
    ]);
    io.say(`scorecard (conformance from validate's checks; speed measured side by side in this run):\n${renderScorecard(scorecard, 'table')}\n`);
    io.say(`scorecard: ${path.join(writer.files.dir, 'scorecard.md')}\n`);
  }
  io.say(`results: ${writer.files.csv}\n          ${writer.files.json}\n          ${writer.files.samples}\n          ${writer.files.summary}\n`);
  const bad = rows.filter(isFailing);
  io.say(bad.length > 0 ? `INVALID: ${bad.length} row(s) errored or failed their check\n` : 'VALID: every check passed\n');
  return { code: bad.length > 0 ? 1 : 0, verdict: bad.length > 0 ? 'INVALID' : 'VALID', dir: writer.files.dir, files: writer.files, rows, scorecard, conformance: records };
}
