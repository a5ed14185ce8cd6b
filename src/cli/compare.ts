// `modelbench compare BASELINE CANDIDATE`: the CI gate on saved runs; never re-runs a model.
import { compareCounted, hasCountedRows, renderCounted, type CountedComparison } from '../gate/counted-gate.js';
import fs from 'node:fs';
import path from 'node:path';
import { gateProblem, listSuites, loadSuite, type GateFile } from '../timing/suite.js';
import { compare, GATE_DEFAULTS, type Comparison, type GateOptions } from '../gate/gate.js';
import { loadSide, rowKey, type LoadedRun } from '../results/load-runs.js';
import { UnusableInput, UsageError } from '../errors.js';
import { implementationOf } from '../results/row-identity.js';
import { crossTestbedProblem } from '../results/testbed-diff.js';
import { pool, type PooledSide } from '../stats/pool.js';
import {
  FORMATS,
  renderGithubBenchmark,
  renderJson,
  renderMarkdown,
  renderTable,
  type Format,
} from '../present/gate-text.js';
import { checkOutputFile, STDOUT, writeFileAtomic } from '../results/atomic-write.js';
import { globToRegExp } from '../glob.js';
import { defineCommand, parseCommand, type Values } from './options.js';
import { storedBaseline } from './compare-store.js';

/** The gate settings read from the suite, then --config, then the command line (each over the one before). */
function gateOptions(suite: string, config: GateFile, cli: GateFile): GateOptions {
  return merge(merge(merge(GATE_DEFAULTS, suiteGate(suite)), config), cli);
}

/**
 * --alpha, --min-effect and --override as given: left out, an option keeps what the suite or --config said (its --help
 * default is GATE_DEFAULTS').
 */
function commandLineGate(values: Values<typeof COMPARE_COMMAND.options>): GateFile {
  return {
    alpha:
      values.alpha === undefined
        ? undefined
        : cliNumber('--alpha', values.alpha, (x) => x > 0 && x < 1, 'a number in (0, 1), e.g. 0.01'),
    minEffect:
      values['min-effect'] === undefined
        ? undefined
        : cliNumber('--min-effect', values['min-effect'], (x) => x >= 0, 'a number >= 0 (0.05 means 5%)'),
    overrides: (values.override ?? []).map((o) => {
      const at = o.lastIndexOf('=');
      if (at <= 0) throw new UsageError(`--override '${o}': expected GLOB=EFFECT, e.g. 'logreg/fit/*/webgpu=0.2'`);
      return {
        match: o.slice(0, at),
        minEffect: cliNumber(
          `--override '${o}': EFFECT`,
          o.slice(at + 1),
          (x) => x >= 0,
          'a number >= 0 (0.2 means 20%)',
        ),
      };
    }),
  };
}

function cliNumber(option: string, raw: string, ok: (x: number) => boolean, rule: string): number {
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x) || !ok(x))
    throw new UsageError(`${option} must be ${rule}, got '${raw}'`);
  return x;
}

function checkGateObject(source: string, g: unknown): GateFile {
  const problem = gateProblem(g);
  if (problem) throw new UnusableInput(`${source}: ${problem}`);
  return g as GateFile;
}

function readGateConfig(file: string): GateFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'EISDIR' ? 'it is a folder' : e instanceof Error ? e.message : String(e);
    throw new UnusableInput(
      `--config ${file}: cannot read the gate config (${why}); give a JSON ` +
        `file such as {"alpha": 0.01, "minEffect": 0.05}`,
    );
  }
  return checkGateObject(`--config ${file}`, raw);
}

function suiteGate(suite: string): GateFile {
  if (!listSuites().includes(suite)) return {};
  try {
    return loadSuite(suite).gate ?? {};
  } catch (e) {
    throw new UnusableInput(e instanceof Error ? e.message : String(e));
  }
}

function merge(base: GateOptions, more: GateFile): GateOptions {
  return {
    alpha: more.alpha ?? base.alpha,
    minEffect: more.minEffect ?? base.minEffect,
    overrides: [...base.overrides, ...(more.overrides ?? [])],
  };
}

export const COMPARE_COMMAND = defineCommand({
  name: 'compare',
  summary:
    'The CI gate on saved runs (never re-runs a model): exit 0 no ' +
    'regression, 1 a speed regression or quality failure, ' +
    ('2 unusable input. BASELINE is left out with --baseline-from STORE ' +
      '(the baseline runs then come from the history store).'),
  positionals: '[BASELINE] CANDIDATE',
  options: {
    alpha: {
      type: 'string',
      value: 'P',
      fallback: String(GATE_DEFAULTS.alpha),
      help:
        'significance level of the U test (signed-rank test for paired runs), Holm-corrected over rows; ' +
        "given, it overrides --config's and the suite's",
    },
    'min-effect': {
      type: 'string',
      value: 'FRACTION',
      fallback: String(GATE_DEFAULTS.minEffect),
      help: "smallest slowdown that counts (0.05 = 5%); given, it overrides --config's and the suite's",
    },
    override: {
      type: 'string',
      value: 'GLOB=EFFECT',
      multiple: true,
      help: 'a minimum effect for rows matching model/workload/size/backend',
    },
    config: {
      type: 'string',
      value: 'FILE',
      help:
        'a gate JSON: {"alpha", "minEffect", "overrides": [{"match", "minEffect"}]} (other keys are refused); ' +
        "over the suite's gate, under the command line",
    },
    'allow-missing': {
      type: 'string',
      value: 'GLOB',
      multiple: true,
      help:
        'baseline rows (model/workload/size/backend, * matches anything) the ' +
        'candidate may lack, or may have without timing samples; ' +
        'any other missing row is unusable input (exit 2)',
    },
    format: { type: 'string', value: FORMATS.join('|'), default: 'table', help: 'output format' },
    output: {
      type: 'string',
      value: 'FILE|-',
      help:
        `write the output to FILE (a regular file; not a device or pipe) ` + `instead of stdout; ${STDOUT} is stdout`,
    },
    'baseline-impl': {
      type: 'string',
      value: 'NAME',
      help:
        "compare this implementation's rows of BASELINE (with " +
        '--candidate-impl: two implementations of one run, timed side by side)',
    },
    'candidate-impl': {
      type: 'string',
      value: 'NAME',
      help: "against this implementation's rows of CANDIDATE (BASELINE and " + 'CANDIDATE may be the same run)',
    },
    'across-testbeds': {
      type: 'boolean',
      default: false,
      help:
        'judge speed although BASELINE and CANDIDATE ran on different testbeds ' +
        '(refused otherwise, exit 2: the verdict would measure the machines); ' +
        'what differs is listed first',
    },
    'baseline-from': {
      type: 'string',
      value: 'STORE',
      help:
        'take BASELINE from this history store (a DuckDB file of `modelbench ' +
        "history add`): the runs of the candidate's suite and testbed " +
        'at the commits --ref names; then only CANDIDATE is given',
    },
    ref: {
      type: 'string',
      value: 'merge-base|main~N|window:K',
      fallback: 'merge-base',
      help:
        "with --baseline-from: the runs at the merge-base of the candidate's " +
        'commit and main, at main~N, or pooled over the last K commits ' +
        'of main (first-parent) that have runs',
    },
    repo: {
      type: 'string',
      value: 'DIR',
      fallback: '.',
      help: 'with --baseline-from: the git checkout whose history --ref is read in',
    },
    main: { type: 'string', value: 'B', fallback: 'main', help: 'with --baseline-from: the main branch --ref names' },
  },
});

/** Only the named implementation's rows ('modelbench': ours), keyed alike on both sides so they pair up. */
function onlyImplementation(runs: LoadedRun[], name: string, as: string, side: string): LoadedRun[] {
  const out = runs.map((run) => ({
    ...run,
    rows: run.rows
      .filter((r) => implementationOf(r) === name)
      .map((r) => (name === 'modelbench' ? r : { ...r, backend: `impl:${as}`, implementation: as })),
  }));
  if (out.every((r) => r.rows.length === 0)) {
    const names = [...new Set(runs.flatMap((run) => run.rows.map(implementationOf)))];
    throw new UnusableInput(`${side} has no rows of implementation '${name}'; it has: ${names.join(', ')}`);
  }
  return out;
}

/** What the gate decided: the CLI prints `text`, the library API returns the whole object. */
export interface CompareOutcome {
  /** 0 no regression, 1 a speed regression or quality failure, 2 unusable input. */
  readonly code: number;
  readonly result?: Comparison;
  /** The rendering in the chosen format, or why the input is unusable (code 2). */
  readonly text: string;
  /** With --baseline-from: which runs the store gave as the baseline (ids, commits), one line. */
  readonly baselineLine?: string;
}

export async function compareCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(COMPARE_COMMAND, argv);
  const toFile = values.output !== undefined && values.output !== STDOUT;
  const colour = !toFile && Boolean(process.stdout.isTTY);
  const outcome =
    values['baseline-from'] !== undefined
      ? await compareWithStoredBaseline(values, positionals, colour)
      : executeCompare(values, positionals, colour);
  if (outcome.baselineLine) process.stderr.write(`modelbench compare: ${outcome.baselineLine}\n`);
  if (outcome.code === 2) process.stderr.write(`modelbench compare: ${outcome.text}\n`);
  else if (!toFile) process.stdout.write(outcome.text);
  return outcome.code;
}

/** A side as given: a run folder (or a folder of them) to load, or runs already read (a baseline from the store). */
type SideInput = string | readonly LoadedRun[];

/** The two sides, each pooled; with --baseline-impl/--candidate-impl, only those implementations' rows. */
function loadSides(
  values: Values<typeof COMPARE_COMMAND.options>,
  inputs: readonly [SideInput, SideInput],
): [PooledSide, PooledSide] {
  const pick = values['baseline-impl'] !== undefined || values['candidate-impl'] !== undefined;
  if (pick && (values['baseline-impl'] === undefined || values['candidate-impl'] === undefined)) {
    throw new UsageError('--baseline-impl and --candidate-impl go together: name the implementation of each side');
  }
  const as = values['candidate-impl']!;
  const allowMixed = pick && inputs[0] === inputs[1];
  const load = (input: SideInput) =>
    typeof input === 'string' ? loadSide(input, pick ? { allowMixed } : {}) : [...input];
  const side = (input: SideInput, name: string | undefined, which: string) =>
    pool(pick ? onlyImplementation(load(input), name!, as, which) : load(input));
  return [side(inputs[0], values['baseline-impl'], 'BASELINE'), side(inputs[1], as, 'CANDIDATE')];
}

const listed = (keys: readonly string[]) =>
  keys.length === 0 ? 'none' : `${keys.slice(0, 3).join(', ')}${keys.length > 3 ? `, ... (${keys.length})` : ''}`;

/**
 * A gate that compared less than it was given must not pass: every baseline row must be in the
 * candidate, and every timed row must have its samples, except the rows --allow-missing names.
 */
function checkCoverage(
  result: Comparison,
  baseline: PooledSide,
  candidate: PooledSide,
  allow: readonly string[],
): void {
  if (result.speed.length === 0 && result.quality.length === 0) {
    const sides = `baseline has ${listed(result.onlyInBaseline)}; candidate has ${listed(result.onlyInCandidate)}`;
    throw new UnusableInput(
      `no row is in both runs: ${sides}. Compare runs of the same suite ` +
        `(rows match by model/workload/size/backend)`,
    );
  }
  const allowed = (key: string) => allow.some((glob) => globToRegExp(glob).test(key));
  const fix =
    'run the whole suite again, or name the rows that may be missing with ' +
    "--allow-missing GLOB (e.g. 'svm/*/*/webgpu')";
  const missing = result.onlyInBaseline.filter((k) => !allowed(k));
  if (missing.length > 0) {
    throw new UnusableInput(
      `CANDIDATE lacks ${missing.length} of the baseline's ` +
        `${baseline.rows.size} rows (${listed(missing)}); ${fix}`,
    );
  }
  for (const [name, side] of [
    ['BASELINE', baseline],
    ['CANDIDATE', candidate],
  ] as const) {
    for (const run of side.runs) {
      const timed = run.rows.filter((r) => r.status === 'ok' && r.samples > 0 && (r.rawSamples ?? []).length === 0);
      const unsampled = timed.map(rowKey).filter((k) => !allowed(k));
      if (unsampled.length > 0) {
        const file = path.join(run.dir, 'samples.csv');
        throw new UnusableInput(
          `${name} ${file}: no samples for ${unsampled.length} timed row(s) of ` +
            `results.json (${listed(unsampled)}); ${fix}`,
        );
      }
    }
  }
}

/** The counted gate, when the baseline counted; a counted side against a timed-only one is refused. */
function countedGate(baseline: PooledSide, candidate: PooledSide): CountedComparison | undefined {
  const b = hasCountedRows(baseline.rows.values());
  const c = hasCountedRows(candidate.rows.values());
  if (b !== c) {
    const [counted, timed] = b ? ['BASELINE', 'CANDIDATE'] : ['CANDIDATE', 'BASELINE'];
    throw new UnusableInput(
      `${counted} has counted rows and ${timed} has none: a gate on counts ` +
        `needs both runs with --measure instructions (or compare times only: ` +
        `both with --measure time)`,
    );
  }
  return b ? compareCounted(baseline.rows, candidate.rows) : undefined;
}

function withCounted(format: Format, text: string, counted: CountedComparison | undefined): string {
  if (!counted) return text;
  if (format === 'json') return JSON.stringify({ ...(JSON.parse(text) as object), counted }, null, 2) + '\n';
  return format === 'github-benchmark' ? text : `${text}\n${renderCounted(counted, format === 'markdown')}`;
}

function render(format: Format, result: Comparison, candidate: PooledSide, colour: boolean): string {
  if (format === 'table') return renderTable(result, colour);
  if (format === 'markdown') return renderMarkdown(result);
  return format === 'json' ? renderJson(result) : renderGithubBenchmark(candidate);
}

export function executeCompare(
  values: Values<typeof COMPARE_COMMAND.options>,
  positionals: readonly string[],
  colour = false,
  stored?: readonly LoadedRun[],
): CompareOutcome {
  if (!stored) checkWithoutStore(values, positionals);
  const format = values.format as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`unknown --format '${values.format}'; valid: ${FORMATS.join(', ')}`);
  const toFile = values.output !== undefined && values.output !== STDOUT;
  if (toFile) checkOutputFile(values.output!, '--output');
  const cli = commandLineGate(values);
  try {
    const config = values.config ? readGateConfig(values.config) : {};
    const [baseline, candidate] = loadSides(
      values,
      stored ? [stored, positionals[0]] : [positionals[0], positionals[1]],
    );
    const across = crossTestbedProblem(
      baseline.runs.map((r) => r.context),
      candidate.runs.map((r) => r.context),
    );
    if (across && !values['across-testbeds']) throw new UnusableInput(across);
    const result = compare(baseline, candidate, gateOptions(candidate.runs[0].context.suite, config, cli));
    checkCoverage(result, baseline, candidate, values['allow-missing'] ?? []);
    const counted = countedGate(baseline, candidate);
    const text = withCounted(format, render(format, result, candidate, colour), counted);
    if (toFile) writeFileAtomic(values.output!, text);
    return {
      code: result.regressions + result.qualityFailures + (counted?.regressions ?? 0) === 0 ? 0 : 1,
      result,
      text,
    };
  } catch (e) {
    if (e instanceof UnusableInput) return { code: 2, text: e.message };
    throw e;
  }
}

type CompareValues = Values<typeof COMPARE_COMMAND.options>;

function checkWithoutStore(values: CompareValues, positionals: readonly string[]): void {
  const stray = (['ref', 'repo', 'main'] as const).find((o) => values[o] !== undefined);
  if (stray)
    throw new UsageError(
      `--${stray} picks the baseline from a history store: give it with ` +
        `--baseline-from STORE (and only CANDIDATE)`,
    );
  if (positionals.length !== 2)
    throw new UsageError(
      `compare needs two runs, BASELINE and CANDIDATE, got ` + `${positionals.length}; see modelbench compare --help`,
    );
}

/**
 * `compare CANDIDATE --baseline-from STORE --ref R`: the baseline runs chosen from the store, then the gate as on two
 * folders.
 */
export async function compareWithStoredBaseline(
  values: CompareValues,
  positionals: readonly string[],
  colour = false,
): Promise<CompareOutcome> {
  if (positionals.length !== 1) {
    throw new UsageError(
      `with --baseline-from, compare takes one run, CANDIDATE (the baseline ` +
        `comes from the store), got ${positionals.length}; ` +
        'see modelbench compare --help',
    );
  }
  try {
    const chosen = await storedBaseline(
      values,
      loadSide(positionals[0]).map((r) => r.context),
    );
    return { ...executeCompare(values, positionals, colour, chosen.runs), baselineLine: chosen.line };
  } catch (e) {
    if (e instanceof UnusableInput) return { code: 2, text: e.message };
    throw e;
  }
}
