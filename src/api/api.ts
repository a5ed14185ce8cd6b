// modelbench as a library: `validate`, `run`, `compare` and `report` as functions that take the
// command's options as an object and return what the command prints, as objects. Each builds the
// command line and goes through the same option table and code as the CLI, so the two cannot
// drift; a usage error is thrown with the CLI's one-line message. The package's types for
// `modelbench` are tsc's declarations of this file (tsconfig.declarations.json, built by prepack), so
// what a user's TypeScript sees is what this file takes and returns.
import { silentProgress } from '../timing/progress.js';
import { COMPARE_COMMAND, compareWithStoredBaseline, executeCompare, type CompareOutcome } from '../cli/compare.js';
import { parseCommand, type CommandSpec } from '../cli/options.js';
import { executeReport, REPORT_COMMAND, type ReportOutcome } from '../cli/report.js';
import { executeRun, RUN_COMMAND, type RunOutcome } from '../cli/run.js';
import { executeValidate, VALIDATE_COMMAND, type ValidateOutcome } from '../cli/validate.js';

export type { CompareOutcome, ReportOutcome, RunOutcome, ValidateOutcome };
// The parts of the outcomes a user may want to name (a row is documented in docs/csv-columns.md).
export type { Row as ResultRow } from '../types.js';
export type { CheckOutcome } from '../validate/run.js';
export type { ConformanceRecord } from '../validate/conformance-record.js';
export type { ScorecardLine } from '../present/scorecard.js';
export { UsageError } from '../errors.js';

type Scalar = string | number | boolean | undefined;
type OptionObject = Readonly<Record<string, Scalar | readonly (string | number)[]>>;

/**
 * { backends: ['cpu', 'wasm'], noSandbox: true } -> ['--backends', 'cpu,wasm', '--no-sandbox'],
 * against the command's own table.
 */
function argvOf(spec: CommandSpec, options: OptionObject, repeatable: readonly string[] = []): string[] {
  const argv: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || key === 'log' || key === 'positionals') continue;
    const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const option = spec.options[flag];
    if (!option)
      throw new TypeError(
        `modelbench ${spec.name}: unknown option '${key}'; options: ${Object.keys(spec.options).join(', ')}`,
      );
    if (option.type === 'boolean') {
      if (value === true) argv.push(`--${flag}`);
    } else if (Array.isArray(value)) {
      if (option.multiple || repeatable.includes(flag)) for (const v of value) argv.push(`--${flag}`, String(v));
      else argv.push(`--${flag}`, value.join(','));
    } else argv.push(`--${flag}`, String(value));
  }
  return argv;
}

export interface RunOptions {
  readonly suite?: string;
  readonly models?: readonly string[];
  readonly backends?: readonly string[];
  readonly out?: string;
  readonly seed?: number;
  /** Implementations under test: 'NAME=TARGET' or a bundled name. */
  readonly impl?: readonly string[];
  readonly noReference?: boolean;
  readonly skipPeers?: boolean;
  readonly conformance?: boolean;
  readonly env?: readonly string[];
  readonly implMemory?: number;
  readonly implTimeout?: number;
  readonly noSandbox?: boolean;
  /** Files or folders the implementations under test may also see, read-only (as --sandbox-bind). */
  readonly sandboxBind?: readonly string[];
  /** What is measured of our rows (as --measure): ['time'] by default, ['instructions'] or both. */
  readonly measure?: readonly ('time' | 'instructions')[];
  /** The implementations' own output and notes (default: dropped). */
  readonly log?: (line: string) => void;
}

/** Runs a suite (as `modelbench run`) and returns its rows, files and verdict. */
export async function run(options: RunOptions = {}): Promise<RunOutcome> {
  const { values } = parseCommand(RUN_COMMAND, argvOf(RUN_COMMAND, options as OptionObject));
  const outcome = await executeRun(values, { say: () => {}, log: options.log ?? (() => {}), progress: silentProgress });
  if (typeof outcome === 'number') throw new TypeError('run: the interleaved forms are for the command line only');
  return outcome;
}

export interface ValidateOptions {
  readonly model: string;
  /** A module path or a command line speaking the protocol. */
  readonly impl: string;
  readonly checks?: readonly string[];
  /** Property seed of the VAE and GAN checks (default 1). */
  readonly seed?: number;
  readonly data?: string;
  readonly report?: string;
  readonly timeout?: number;
  readonly memory?: number;
  readonly env?: readonly string[];
  readonly noSandbox?: boolean;
  readonly log?: (line: string) => void;
}

/** Runs the conformance checks (as `modelbench validate`); code 2 (cannot start) is a returned outcome, not a throw. */
export async function validate(options: ValidateOptions): Promise<ValidateOutcome> {
  const { values } = parseCommand(VALIDATE_COMMAND, argvOf(VALIDATE_COMMAND, options as unknown as OptionObject));
  return executeValidate(values, { say: () => {}, log: options.log ?? (() => {}) });
}

export interface CompareOptions {
  /** The baseline run folder; leave it out with `baselineFrom`, which picks the baseline runs from a history store. */
  readonly baseline?: string;
  readonly candidate: string;
  /**
   * A history store (or a folder of run folders) to take the baseline from, as --baseline-from: the runs of the
   * candidate's suite and testbed at the commits `ref` names.
   */
  readonly baselineFrom?: string;
  /** With baselineFrom: 'merge-base' (the default), 'main~N' or 'window:K'. */
  readonly ref?: string;
  /** With baselineFrom: the git checkout whose history `ref` is read in (default '.'). */
  readonly repo?: string;
  /** With baselineFrom: the main branch `ref` names (default 'main'). */
  readonly main?: string;
  /** Judge speed although the two sides ran on different testbeds (as --across-testbeds). */
  readonly acrossTestbeds?: boolean;
  readonly alpha?: number;
  readonly minEffect?: number;
  readonly override?: readonly string[];
  readonly config?: string;
  readonly format?: 'table' | 'markdown' | 'json' | 'github-benchmark';
  readonly output?: string;
  /**
   * Globs of rows (model/workload/size/backend) the candidate may lack, or whose samples may be
   * missing (as --allow-missing).
   */
  readonly allowMissing?: readonly string[];
}

/**
 * The CI gate (as `modelbench compare`): on two saved runs, or on a candidate and the baseline a history store gives
 * (`baselineFrom`, whose choice `baselineLine` says). A baseline and a store together is a usage error, as on the
 * command line.
 */
export async function compare(options: CompareOptions): Promise<CompareOutcome> {
  const { baseline, candidate, ...rest } = options;
  const { values } = parseCommand(COMPARE_COMMAND, argvOf(COMPARE_COMMAND, rest as OptionObject));
  const positionals = baseline === undefined ? [candidate] : [baseline, candidate];
  if (values['baseline-from'] !== undefined) return compareWithStoredBaseline(values, positionals);
  return executeCompare(values, positionals);
}

export interface ReportOptions {
  readonly runs: readonly string[];
  readonly out: string;
  readonly format?: 'html' | 'csv';
  readonly baselineMachine?: string;
}

/** Merges runs into one report file (as `modelbench report`). */
export async function report(options: ReportOptions): Promise<ReportOutcome> {
  const { runs, ...rest } = options;
  const { values } = parseCommand(REPORT_COMMAND, argvOf(REPORT_COMMAND, rest as OptionObject));
  return executeReport(values, runs);
}
