// `modelbench run`: expand the suite, run it backend by backend, write results/<run-id>/.
import fs from 'node:fs';
import path from 'node:path';
import { BACKENDS, backendByName } from '../backends/registry.js';
import { makeProgress, type Progress } from '../timing/progress.js';
import { INJECT_ENV } from '../timing/inject-slowdown.js';
import { INJECT_WORK_ENV } from '../timing/inject-work.js';
import {
  hardLimitMs,
  runInterleaved,
  runPlan,
  type Build,
  type PlannedImplementation,
  type SuitePlan,
} from '../timing/run-suite.js';
import { MAX_COUNT_SPAN, MEASURES, type Measure } from '../timing/suite.js';
import { summaryText } from '../present/summary.js';
import { planImplementations } from '../timing/plan-implementations.js';
import { limitsFrom, parseImplOption, type Implementation } from '../protocol/implementation.js';
import { conformanceOf, referenceTarget, type ConformanceRecord } from '../validate/conformance-record.js';
import { wasmBackend } from '../backends/wasm.js';
import { checkOutputDir, writeFilesAtomic } from '../results/atomic-write.js';
import { buildScorecard, renderScorecard, type ScorecardLine } from '../present/scorecard.js';
import type { RunWriter } from '../results/run-writer.js';
import type { Row } from '../types.js';
import type { Limits } from '../protocol/client.js';
import { sandboxLine, sandboxStatus, type SandboxMode } from '../protocol/sandbox.js';
import { chooseSandbox, parseBinds, parseEnv } from './validate.js';
import { listSuites, loadSuite, measuredIn, sizeLabel, suiteFile, type Cell, type Suite } from '../timing/suite.js';
import { MODELS } from '../models/registry.js';
import { makeContext, runStamp, slug, type RunContext } from '../results/context.js';
import { createExclusiveDir } from '../results/run-writer.js';
import { testbedNameProblem } from '../results/testbed.js';
import {
  countedTable,
  invalidReason,
  measuredDetectableLines,
  peerComparison,
  ratiosTestbedLine,
  summaryTable,
  verdictLine,
  type MeasuredDetectable,
} from '../present/summary.js';
import { DEFAULT_BASE_SEED, seedsFrom, type Seeds } from '../seeds.js';
import {
  defineCommand,
  machineMemoryMb,
  MAX_TIMEOUT_SECONDS,
  MIN_MEMORY_MB,
  parseCommand,
  parseCount,
  type Values,
  parseMegabytes,
  parseSeconds,
  parseSeed,
} from './options.js';
import { parseNameList } from './usage.js';
import { UsageError } from '../errors.js';
import { sourceIn, WORKER_SOURCES } from '../timing/worker-build.js';

export const DEFAULT_SUITE = 'quick';
export const DEFAULT_OUT_DIR = 'results';
export const DEFAULT_INTERLEAVE_REPEAT = 3;
const DEFAULT_IMPL_MEMORY_MB = 16384;
const MAX_REPEAT = 1000;
/** Per request, where the suite sets no hard limit per cell. */
const NO_CELL_LIMIT_TIMEOUT_MS = 30 * 60 * 1000;

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
  testbed?: string;
}

function checkBaselineRoot(root: string): string {
  const abs = path.resolve(root);
  if (fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory() === false) {
    throw new UsageError(`--interleave ${root}: a file, not a folder; give the baseline's modelbench checkout`);
  }
  if (sourceIn(abs, WORKER_SOURCES) === undefined) {
    throw new UsageError(
      `--interleave ${root}: no ${WORKER_SOURCES[1]} there (nor ` +
        `${WORKER_SOURCES[0]}, where later checkouts have it); give a ` +
        `modelbench checkout of the baseline (e.g. git worktree add ` +
        `../baseline main && (cd ../baseline && npm ci))`,
    );
  }
  if (!fs.existsSync(path.join(abs, 'node_modules/@tensorflow/tfjs'))) {
    throw new UsageError(`--interleave ${root}: its dependencies are not installed; run npm ci in it first`);
  }
  return abs;
}

/** Rounds of (baseline, this build) alternating cell by cell, or of this build alone. */
async function interleavedCommand(o: InterleavedOptions): Promise<number> {
  const injection = process.env[INJECT_ENV];
  const withoutInjection = { ...process.env };
  delete withoutInjection[INJECT_ENV];
  // The baseline checkout is checked before the folder is made: a refused run leaves nothing behind.
  const builds: Build[] = o.baselineRoot
    ? [{ name: 'baseline', root: checkBaselineRoot(o.baselineRoot), env: withoutInjection }, { name: 'candidate' }]
    : [{ name: 'candidate' }];
  // Its own folder, made exclusively: two sessions started together must not pool into one side.
  const dir = path.join(
    o.out,
    createExclusiveDir(o.out, `${runStamp(new Date())}-${slug(o.suite)}-${o.baselineRoot ? 'interleaved' : 'repeat'}`),
  );
  const contextFor = (build: Build, round: number) => {
    const ctx = makeContext(
      o.suite,
      o.baseSeed,
      o.seeds,
      {
        suite: o.suite,
        models: o.models,
        backends: o.backends,
        role: build.name,
        round,
        repeat: o.repeat,
        timing: o.plan.timing,
        injectSlowdown: build.env ? undefined : injection,
        testbed: o.testbed,
      },
      new Date(),
      build.root,
    );
    return { ...ctx, runId: `${ctx.runId}-${build.name}-r${round}` };
  };
  const writers = await runInterleaved(o.plan, builds, o.repeat, dir, contextFor, makeProgress());
  const rows = [...writers.values()].flat().flatMap((w) => [...w.all()]);
  for (const [name, ws] of writers) process.stdout.write(`${name}: ${ws.length} run(s) in ${path.join(dir, name)}\n`);
  if (o.baselineRoot)
    process.stdout.write(
      `compare with: modelbench compare ${path.join(dir, 'baseline')} ${path.join(dir, 'candidate')}\n`,
    );
  process.stdout.write(verdictLine(rows));
  return invalidReason(rows) ? 1 : 0;
}

export const RUN_COMMAND = defineCommand({
  name: 'run',
  summary:
    'Runs a suite: one fresh child process per backend and cell; writes ' +
    'results/<run-id>/{results.csv,results.json,samples.csv,summary.txt}.',
  options: {
    suite: {
      type: 'string',
      value: `${listSuites().join('|')}|FILE.json`,
      default: DEFAULT_SUITE,
      help: 'the suite (suites/NAME.json), or a suite file of your own',
    },
    models: { type: 'string', value: 'a,b', help: `only these models (${MODELS.map((m) => m.name).join(', ')})` },
    backends: {
      type: 'string',
      value: 'a,b|all',
      help: `only these backends (${BACKENDS.map((b) => b.name).join(', ')}); default: all but ${BACKENDS.filter(
        (b) => b.optIn,
      )
        .map((b) => b.name)
        .join(', ')} (opt-in: ${BACKENDS.find((b) => b.optIn)?.optIn ?? ''}); all: every one`,
    },
    out: { type: 'string', value: 'DIR', default: DEFAULT_OUT_DIR, help: 'where run folders are written' },
    testbed: {
      type: 'string',
      value: 'NAME',
      fallback: 'tb-<hash of the hardware>',
      help:
        "name this machine's testbed: report and compare keep testbeds apart, " +
        'and pool every host that ran under one name',
    },
    seed: {
      type: 'string',
      value: 'N',
      default: String(DEFAULT_BASE_SEED),
      help: 'base seed of the data, init and sampling seeds',
    },
    impl: {
      type: 'string',
      value: 'NAME=TARGET|NAME',
      multiple: true,
      help:
        'also time this implementation under test (a module or a command ' +
        'speaking protocol 2 or 3; or a bundled one by name) on the suite ' +
        'cells it offers',
    },
    'no-reference': {
      type: 'boolean',
      default: false,
      help: "do not time our own implementation (only the --impl ones and the suite's bundled ones)",
    },
    'skip-peers': {
      type: 'boolean',
      default: false,
      help: "do not time the suite's bundled implementations (its peers)",
    },
    env: {
      type: 'string',
      value: 'NAME=VALUE',
      multiple: true,
      help: 'an environment variable for the implementations under test (theirs is otherwise cleared)',
    },
    'impl-memory': {
      type: 'string',
      value: 'MB',
      fallback: `${DEFAULT_IMPL_MEMORY_MB} or the machine's memory if less`,
      help: `memory limit of each implementation's process: whole MB from ${MIN_MEMORY_MB} to the machine's memory`,
    },
    'impl-timeout': {
      type: 'string',
      value: 'SECONDS',
      help:
        `time limit per request to an implementation, at most ${MAX_TIMEOUT_SECONDS} ` +
        ("(default: the suite's hard limit per cell, 2 x maxCellSeconds + 120 " +
          's; 30 min for a suite without maxCellSeconds)'),
    },
    'no-sandbox': {
      type: 'boolean',
      default: false,
      help: 'run implementations under test without the bwrap sandbox (required where none exists)',
    },
    'sandbox-bind': {
      type: 'string',
      value: 'PATH',
      multiple: true,
      help: 'also show the implementations under test this file or folder, read-only, inside the sandbox',
    },
    measure: {
      type: 'string',
      value: 'time|instructions|time,instructions',
      help:
        'what is measured of our rows: time (tinybench), counted instructions ' +
        'and estimated cycles per call (valgrind; cpu and wasm), or both; ' +
        'default the suite\'s "measure", else time',
    },
    'count-span': {
      type: 'string',
      value: 'N',
      help:
        `counted rows: count a region of N calls, 1 to ${MAX_COUNT_SPAN}, instead of the suite's "countSpan" or ` +
        'a span sized from a native timing; counts compare only over equal ' +
        "spans (bisect passes GOOD's)",
    },
    conformance: {
      type: 'boolean',
      default: false,
      help:
        "also run validate's conformance checks on every implementation (ours " +
        "too) for the run's models, and write scorecard.md and conformance.json",
    },
    repeat: {
      type: 'string',
      value: 'N',
      help:
        `rounds of this build, 1 to ${MAX_REPEAT} (--interleave: per side, ` +
        `${DEFAULT_INTERLEAVE_REPEAT} by default)`,
    },
    interleave: {
      type: 'string',
      value: 'BASELINE_CHECKOUT',
      help: 'time another checkout beside this one, cell by cell in paired bursts on one CPU, for the CI gate',
    },
  },
});

/** validate's checks on each implementation (and ours, given limits for it), one model at a time. */
async function runConformance(
  impls: readonly Implementation[],
  ours: Limits | undefined,
  models: readonly string[],
  log: (line: string) => void,
): Promise<ConformanceRecord[]> {
  const { tf } = await wasmBackend.activate();
  const reference = referenceTarget();
  const all = [...(ours && reference ? [{ name: 'modelbench', target: reference, limits: ours }] : []), ...impls];
  const records: ConformanceRecord[] = [];
  for (const impl of all) {
    log(`conformance: ${impl.name}`);
    records.push(
      ...(await conformanceOf(
        impl,
        models,
        tf,
        (line) => log(`[impl] ${line}`),
        (model, o) => log(`  ${o.status.padEnd(7)} ${model} ${o.check}`),
      )),
    );
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
  const io: RunIo = {
    say: (t) => process.stdout.write(t),
    log: (line) => process.stderr.write(`${line}\n`),
    progress: makeProgress(),
  };
  const outcome = await executeRun(values, io);
  return typeof outcome === 'number' ? outcome : outcome.code;
}

/**
 * The suite's marks on the cells and backends of this run: what its gate calibration measured where the target was out
 * of reach.
 */
function measuredDetectable(
  suite: Suite,
  cells: readonly Cell[],
  backends: readonly string[],
): MeasuredDetectable | undefined {
  const marks = cells.flatMap((c) =>
    Object.entries(c.measuredDetectable ?? {})
      .filter(([b]) => backends.includes(b))
      .map(([backend, mark]) => ({ cell: `${c.model}/${c.workload}/${sizeLabel(c.size)}`, backend, ...mark })),
  );
  return marks.length === 0 ? undefined : { calibration: suite.calibration, marks };
}

/** The suite, loaded and checked against the backend registry (the file names backends in two places). */
function loadRunSuite(name: string): Suite {
  if (!suiteFile(name))
    throw new UsageError(
      `unknown suite '${name}'; valid suites: ${listSuites().join(', ')}, or a path to a suite FILE.json`,
    );
  let suite: Suite;
  try {
    suite = loadSuite(name);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const knownBackends = (where: string, names: readonly string[]) => {
    const unknown = names.find((n) => !backendByName(n));
    if (unknown)
      throw new UsageError(
        `suite ${suite.name}: ${where} names unknown backend '${unknown}'; ` +
          `valid backends: ${BACKENDS.map((b) => b.name).join(', ')}`,
      );
  };
  for (const c of suite.cells)
    knownBackends(`cell ${c.model}/${c.workload}: "measuredDetectable"`, Object.keys(c.measuredDetectable ?? {}));
  knownBackends('"calibration"', Object.keys(suite.calibration ?? {}));
  return suite;
}

/**
 * The limits of each implementation's process: --impl-memory and --impl-timeout within their ranges, or the defaults.
 */
function implLimits(values: Values<typeof RUN_COMMAND.options>, suite: Suite): () => Limits & { sandbox: SandboxMode } {
  const given = values['impl-memory'];
  const memoryMb =
    given === undefined ? Math.min(DEFAULT_IMPL_MEMORY_MB, machineMemoryMb()) : parseMegabytes(given, '--impl-memory');
  const timeoutS =
    values['impl-timeout'] === undefined ? undefined : parseSeconds(values['impl-timeout'], '--impl-timeout');
  const cellLimit = hardLimitMs(suite.timing);
  const timeoutMs =
    timeoutS !== undefined ? timeoutS * 1000 : Number.isFinite(cellLimit) ? cellLimit : NO_CELL_LIMIT_TIMEOUT_MS;
  const binds = parseBinds(values['sandbox-bind']);
  return () =>
    limitsFrom({ timeoutMs, memoryMb, sandbox: chooseSandbox(values['no-sandbox']), env: parseEnv(values.env), binds });
}

/** --measure: time, instructions, or both (comma-separated, each once). */
function parseMeasure(text: string): Measure[] {
  const parts = text.split(',').map((p) => p.trim());
  const bad = parts.find((p) => !MEASURES.includes(p as Measure));
  if (bad !== undefined || parts.length !== new Set(parts).size)
    throw new UsageError(`--measure takes ${MEASURES.join(', ')} or both comma-separated, got '${text}'`);
  return parts as Measure[];
}

/** What a `run` command line asks for, checked: the suite, the axes, the seeds and the implementations. */
interface RunInputs {
  readonly suite: Suite;
  readonly models: string[];
  readonly backends: string[];
  readonly baseSeed: number;
  readonly seeds: Seeds;
  readonly cells: Cell[];
  readonly limits: () => Limits & { sandbox: SandboxMode };
  readonly impls: Implementation[];
  readonly repeat: number;
  readonly measure: Measure[];
  readonly countSpan?: number;
}

function chosenBackends(values: Values<typeof RUN_COMMAND.options>): string[] {
  const names = BACKENDS.map((b) => b.name);
  if (values.backends === 'all') return names;
  if (values.backends === undefined) return BACKENDS.filter((b) => !b.optIn).map((b) => b.name);
  return parseNameList(values.backends, names, 'backend');
}

function parseRunInputs(values: Values<typeof RUN_COMMAND.options>): RunInputs {
  const suite = loadRunSuite(values.suite!);
  checkOutputDir(values.out!, '--out');
  const models = parseNameList(
    values.models,
    MODELS.map((m) => m.name),
    'model',
  );
  const backends = chosenBackends(values);
  const baseSeed = parseSeed(values.seed, DEFAULT_BASE_SEED);
  const badTestbed = values.testbed === undefined ? undefined : testbedNameProblem(values.testbed);
  if (badTestbed) throw new UsageError(badTestbed);
  const measure = values.measure === undefined ? [...(suite.measure ?? ['time'])] : parseMeasure(values.measure);
  const cells = values['no-reference']
    ? []
    : suite.cells.filter((c) => models.includes(c.model) && measuredIn(c, measure));
  const implNames = [...(values['skip-peers'] ? [] : suite.implementations.map((i) => i.name)), ...values.impl];
  const limits = implLimits(values, suite);
  const impls = implNames.map((v) => parseImplOption(v, limits()));
  if (impls.length === 0 && values['no-reference'])
    throw new UsageError(
      '--no-reference leaves nothing to time: add --impl NAME=TARGET, or a suite with bundled implementations',
    );
  const repeat =
    values.repeat === undefined
      ? values.interleave
        ? DEFAULT_INTERLEAVE_REPEAT
        : 1
      : parseCount(values.repeat, '--repeat', MAX_REPEAT);
  const countSpan =
    values['count-span'] === undefined ? undefined : parseCount(values['count-span'], '--count-span', MAX_COUNT_SPAN);
  return {
    suite,
    models,
    backends,
    baseSeed,
    seeds: seedsFrom(baseSeed),
    cells,
    limits,
    impls,
    repeat,
    measure,
    countSpan,
  };
}

/** Refuses a run that would time nothing, or combine what cannot be combined. */
function checkRunPlan(
  values: Values<typeof RUN_COMMAND.options>,
  inputs: RunInputs,
  planned: readonly PlannedImplementation[],
): void {
  const { suite, models, cells, repeat, measure } = inputs;
  if (cells.length === 0 && planned.every((p) => p.cells.length === 0)) {
    // A run that measures nothing must not say VALID.
    const has = [...new Set(suite.cells.map((c) => c.model))];
    throw new UsageError(
      `suite ${suite.name} has no cells for ${models.join(', ')} (its ` +
        `models: ${has.join(', ') || 'none'}): choose --models from those, or ` +
        `another --suite`,
    );
  }
  const rounds = values.interleave !== undefined || repeat > 1;
  if (rounds && planned.length > 0)
    throw new UsageError(
      '--interleave and --repeat time our builds only: drop them, or the ' +
        '--impl options (rounds of an implementation: run it again into ' +
        'another --out and compare)',
    );
  if (measure.includes('instructions') && rounds) {
    throw new UsageError(
      '--measure instructions needs no interleaving or rounds (counts do not ' +
        'drift with the machine): drop --interleave and --repeat',
    );
  }
}

function runContext(
  values: Values<typeof RUN_COMMAND.options>,
  inputs: RunInputs,
  planned: readonly PlannedImplementation[],
) {
  const { suite, models, backends, cells, measure } = inputs;
  return makeContext(suite.name, inputs.baseSeed, inputs.seeds, {
    suite: suite.name,
    models,
    backends,
    out: values.out,
    skipPeers: values['skip-peers'],
    implementations: planned.map((p) => ({ name: p.impl.name, target: p.impl.target })),
    noReference: values['no-reference'],
    timing: suite.timing,
    injectSlowdown: process.env[INJECT_ENV],
    injectWork: process.env[INJECT_WORK_ENV],
    measuredDetectable: measuredDetectable(suite, cells, backends),
    measure,
    testbed: values.testbed,
  });
}

/** The tables a finished run prints: its rows, counts, marks, the implementations beside ours, unavailable backends. */
function printRunTables(rows: readonly Row[], context: RunContext, io: RunIo): void {
  io.say(summaryTable(rows, { detectable: true }) + '\n\n');
  const counted = countedTable(rows);
  if (counted) io.say(`${counted}\n\n`);
  const marked = measuredDetectableLines(context);
  if (marked) io.say(`${marked}\n\n`);
  const versus = peerComparison(rows);
  if (versus)
    io.say(
      `against the implementations under test (time ratio < 1: ours is ` +
        `faster):\n${versus}\n${ratiosTestbedLine(context)}\n\n`,
    );
  for (const b of context.backends.filter((x) => !x.available)) io.say(`${b.name}: unavailable (${b.reason})\n`);
}

/** --conformance: validate's checks on every implementation of the run, written beside it as a scorecard. */
async function conformanceStage(
  values: Values<typeof RUN_COMMAND.options>,
  inputs: RunInputs,
  planned: readonly PlannedImplementation[],
  rows: readonly Row[],
  writer: RunWriter,
  io: RunIo,
) {
  // Our reference runs unsandboxed: it is this checkout's own code.
  const ours = values['no-reference']
    ? undefined
    : limitsFrom({ timeoutMs: 30 * 60 * 1000, memoryMb: 16384, sandbox: 'none' });
  const records = await runConformance(
    planned.filter((p) => !p.blocked).map((p) => p.impl),
    ours,
    [...new Set([...inputs.cells, ...planned.flatMap((p) => p.cells)].map((c) => c.model))],
    io.log,
  );
  const scorecard = buildScorecard(rows, records);
  writeFilesAtomic([
    { file: path.join(writer.files.dir, 'conformance.json'), content: JSON.stringify(records, null, 2) + '\n' },
    { file: path.join(writer.files.dir, 'scorecard.md'), content: renderScorecard(scorecard, 'markdown') },
  ]);
  io.say(
    `scorecard (conformance from validate's checks; speed measured side by ` +
      `side in this run):\n${renderScorecard(scorecard, 'table')}\n`,
  );
  io.say(`scorecard: ${path.join(writer.files.dir, 'scorecard.md')}\n`);
  return { scorecard, records };
}

/** A parsed `run`: the interleaved forms return their exit code, a plain run its outcome. */
export async function executeRun(values: Values<typeof RUN_COMMAND.options>, io: RunIo): Promise<RunOutcome | number> {
  const inputs = parseRunInputs(values);
  const { suite, models, backends, seeds, cells, limits, repeat, measure } = inputs;
  const quiet = (line: string) => io.log(`[impl] ${line}`);
  const planned = await planImplementations(inputs.impls, suite, models, quiet);
  checkRunPlan(values, inputs, planned);
  if (values.interleave !== undefined || repeat > 1) {
    const plan = { cells, impls: [], backends, timing: suite.timing, seeds, summarise: summaryText };
    const { baseSeed } = inputs;
    const out = values.out!;
    return interleavedCommand({
      suite: suite.name,
      baseSeed,
      seeds,
      models,
      backends,
      out,
      repeat,
      baselineRoot: values.interleave,
      plan,
      testbed: values.testbed,
    });
  }
  const context = runContext(values, inputs, planned);
  if (planned.length > 0) io.log(sandboxLine(limits().sandbox, sandboxStatus(), limits().binds));
  const ourBackends = values['no-reference'] ? [] : backends;
  const plan = {
    cells,
    impls: planned,
    backends: ourBackends,
    timing: suite.timing,
    seeds,
    measure,
    summarise: summaryText,
    countSpan: inputs.countSpan,
  };
  const writer = await runPlan(plan, values.out!, context, io.progress, quiet);
  const rows = writer.all();
  printRunTables(rows, context, io);
  const { scorecard, records } = values.conformance
    ? await conformanceStage(values, inputs, planned, rows, writer, io)
    : {};
  const f = writer.files;
  io.say(`results: ${f.csv}\n          ${f.json}\n          ${f.samples}\n          ${f.summary}\n`);
  io.say(verdictLine(rows));
  const invalid = invalidReason(rows) !== undefined;
  return {
    code: invalid ? 1 : 0,
    verdict: invalid ? 'INVALID' : 'VALID',
    dir: f.dir,
    files: f,
    rows,
    scorecard,
    conformance: records,
  };
}
