// `modelbench validate`: runs the conformance checks against anyone's implementation (docs/protocol.md).
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { wasmBackend } from '../backends/wasm.js';
import { fmt, textTable } from '../format.js';
import { checkOutputDir, checkOutputFile, ensureDir, writeFileAtomic } from '../results/atomic-write.js';
import { readLabelledCsv } from '../data/csv-table.js';
import { DataError, CannotStart, UsageError } from '../errors.js';
import type { Dataset } from '../types.js';
import { NAMED_DATASETS } from '../models/check-datasets.js';
import type { Check } from '../models/check.js';
import { checksOf, validatedModels } from '../validate/registry.js';
import { MODELS, modelByName } from '../models/registry.js';
import { conformanceVerdict, DEFAULT_CHECK_SEED, runChecks, type CheckOutcome } from '../validate/run.js';
import { implementationAt, limitsFrom, type Implementation } from '../protocol/implementation.js';
import type { Hello } from '../protocol/messages.js';
import { sayHello } from '../protocol/session.js';
import { missingSandbox, sandboxLine, sandboxStatus, type SandboxMode } from '../protocol/sandbox.js';
import {
  defineCommand,
  machineMemoryMb,
  MAX_TIMEOUT_SECONDS,
  MIN_MEMORY_MB,
  parseCommand,
  type Values,
  parseMegabytes,
  parseSeconds,
  parseSeed,
} from './options.js';

const DEFAULT_MEMORY_MB = 4096;

export const VALIDATE_COMMAND = defineCommand({
  name: 'validate',
  summary:
    "Runs the conformance checks against anyone's implementation (docs/protocol.md), sandboxed where bwrap exists.",
  options: {
    model: {
      type: 'string',
      value: validatedModels().join('|'),
      help: 'the model the implementation claims (required)',
    },
    impl: {
      type: 'string',
      value: 'MODULE|"COMMAND"',
      help: 'a .mjs/.js/.ts module, or a command speaking the protocol (required)',
    },
    checks: { type: 'string', value: 'a,b', help: 'run only these checks' },
    seed: {
      type: 'string',
      value: 'N',
      default: String(DEFAULT_CHECK_SEED),
      help: 'property seed of the VAE and GAN checks: their data, noise and seed hint derive from it',
    },
    data: { type: 'string', value: 'NAME|FILE.csv', help: 'one more optimum check on this data (logreg, svm)' },
    report: { type: 'string', value: 'DIR', help: 'write validate-MODEL.{csv,json} there (a folder; made if missing)' },
    timeout: {
      type: 'string',
      value: 'SECONDS',
      default: '120',
      help: `time limit per request, above 0 and at most ${MAX_TIMEOUT_SECONDS}`,
    },
    memory: {
      type: 'string',
      value: 'MB',
      fallback: `${DEFAULT_MEMORY_MB} or the machine's memory if less`,
      help: `memory limit of the implementation's process: whole MB from ${MIN_MEMORY_MB} to the machine's memory`,
    },
    env: {
      type: 'string',
      value: 'NAME=VALUE',
      multiple: true,
      help: 'an environment variable for the implementation (its environment is otherwise cleared)',
    },
    'no-sandbox': {
      type: 'boolean',
      default: false,
      help: 'run the implementation without the bwrap sandbox (required where none exists)',
    },
    'sandbox-bind': {
      type: 'string',
      value: 'PATH',
      multiple: true,
      help:
        'also show the implementation this file or folder, read-only, inside ' +
        'the sandbox (it sees only the system and its own project otherwise)',
    },
    quiet: { type: 'boolean', default: false, help: "do not show the implementation's own output" },
  },
});

/** --env NAME=VALUE, repeatable: the only variables code under test sees besides PATH, HOME and TMPDIR. */
export function parseEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(pair.slice(0, eq)))
      throw new UsageError(`--env needs NAME=VALUE with a variable name of letters, digits and _, got '${pair}'`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** --sandbox-bind PATH, repeatable: each must exist; given as absolute paths. */
export function parseBinds(paths: readonly string[] | undefined): string[] {
  return (paths ?? []).map((p) => {
    if (p === '' || !fs.existsSync(p))
      throw new UsageError(
        `--sandbox-bind '${p}' does not exist: name an existing file or folder for the implementation to see`,
      );
    return path.resolve(p);
  });
}

/** The sandbox to use: bwrap by default; where there is none, the user must say --no-sandbox. */
export function chooseSandbox(noSandbox: boolean): SandboxMode {
  if (noSandbox) return 'none';
  const missing = missingSandbox('pass --no-sandbox');
  if (missing) throw new UsageError(missing);
  return 'bwrap';
}

/** What a validation produced: the CLI prints it, the library API (src/api.ts) returns it. */
export interface ValidateOutcome {
  /** 0 conforms, 1 does not, 2 the implementation could not be started or does not implement the model. */
  readonly code: number;
  readonly model: string;
  /** The property seed the checks ran with (absent when none ran). */
  readonly seed?: number;
  readonly implementation?: { readonly name: string; readonly version: string };
  readonly outcomes: readonly CheckOutcome[];
  readonly conforms: boolean;
  /** Why it does not conform, or why it could not be validated. */
  readonly why?: string;
}

export async function validateCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(VALIDATE_COMMAND, argv);
  const outcome = await executeValidate(values, {
    say: (t) => process.stdout.write(t),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (outcome.code === 2) process.stderr.write(`modelbench validate: ${outcome.why}\n`);
  return outcome.code;
}

type ValidateValues = Values<typeof VALIDATE_COMMAND.options>;

/** The implementation under test, with its limits, from the command line. */
function implementationOf(values: ValidateValues, impl: string) {
  const timeoutS = parseSeconds(values.timeout!, '--timeout');
  const memoryMb =
    values.memory === undefined
      ? Math.min(DEFAULT_MEMORY_MB, machineMemoryMb())
      : parseMegabytes(values.memory, '--memory');
  const sandbox = chooseSandbox(values['no-sandbox']);
  const binds = parseBinds(values['sandbox-bind']);
  return implementationAt(
    impl,
    limitsFrom({ timeoutMs: timeoutS * 1000, memoryMb, sandbox, env: parseEnv(values.env), binds }),
  );
}

/** The checks to run: the model's own, the user-data one (--data), narrowed to --checks. */
function chosenChecks(values: ValidateValues, model: string): { only?: string[]; extra: Check[] } {
  const extra = values.data ? userDataChecks(model, values.data) : [];
  const known = [...checksOf(model), ...extra].map((c) => c.name);
  const only = values.checks?.split(',').map((c) => c.trim());
  const unknown = only?.filter((c) => !known.includes(c)) ?? [];
  if (unknown.length > 0)
    throw new UsageError(`unknown check(s) ${unknown.join(', ')} for ${model}; its checks: ${known.join(', ')}`);
  return { only, extra };
}

/** The hello, or why this implementation cannot be validated as `model`. */
async function helloFor(impl: Implementation, model: string, log: (line: string) => void): Promise<Hello | string> {
  let hello;
  try {
    hello = await sayHello(impl, log);
  } catch (e) {
    if (e instanceof CannotStart) return e.message;
    throw e;
  }
  if (hello.unavailable) return `${hello.name} cannot run here: ${hello.unavailable}; fix: ${hello.fix}`;
  if (!hello.models.includes(model))
    return `${hello.name} says it implements ${hello.models.join(', ') || 'no models'}, not ${model}`;
  return hello;
}

/** The outcomes as a table and the one-line verdict. */
function printOutcomes(
  io: { say: (text: string) => void },
  hello: Hello,
  model: string,
  outcomes: readonly CheckOutcome[],
) {
  const rows = outcomes.map((o) => [
    o.check,
    o.status,
    o.measured === undefined ? '' : fmt(o.measured, 8),
    o.expected === undefined ? '' : fmt(o.expected, 8),
    o.tolerance === undefined ? '' : String(o.tolerance),
    o.detail,
  ]);
  io.say(textTable(['check', 'status', 'measured', 'expected', 'tolerance', 'detail'], rows) + '\n');
  const count = (s: string) => outcomes.filter((o) => o.status === s).length;
  const verdict = conformanceVerdict(outcomes);
  io.say(
    `\n${hello.name} ${hello.version} (${model}): ${count('passed')}` +
      ` passed, ${count('failed')} failed, ${count('errored')} errored, ` +
      `${count('xfail')} expected failures, ${count('xpass')} unexpected ` +
      `passes, ${count('skipped')} not applicable — ` +
      `${verdict.conforms ? 'CONFORMS' : `DOES NOT CONFORM${verdict.why ? ` (${verdict.why})` : ''}`}` +
      `\n`,
  );
  return verdict;
}

export async function executeValidate(
  values: ValidateValues,
  io: { say: (text: string) => void; log: (line: string) => void },
): Promise<ValidateOutcome> {
  const model = values.model;
  if (!model || !validatedModels().includes(model))
    throw new UsageError(`--model is required; models with conformance checks: ${validatedModels().join(', ')}`);
  if (!values.impl)
    throw new UsageError(
      '--impl is required: a .mjs/.js/.ts module path, or a shell command such as "python3 my_impl.py"',
    );
  const impl = implementationOf(values, values.impl);
  const seed = parseSeed(values.seed, DEFAULT_CHECK_SEED);
  // Where the report goes is checked before any check runs: a mistake there must not cost the whole validation.
  if (values.report) checkReportDir(values.report, model);
  const { only, extra } = chosenChecks(values, model);
  const log = (line: string) => {
    if (!values.quiet) io.log(`[impl] ${line}`);
  };
  const hello = await helloFor(impl, model, log);
  if (typeof hello === 'string') return { code: 2, model, outcomes: [], conforms: false, why: hello };
  const { sandbox, binds } = impl.limits;
  io.log(`validating ${hello.name} ${hello.version} as ${model}\n${sandboxLine(sandbox!, sandboxStatus(), binds)}`);
  const { tf } = await wasmBackend.activate();
  const onResult = (o: CheckOutcome) => io.log(`  ${o.status.padEnd(7)} ${o.check}`);
  const outcomes = await runChecks(impl, model, hello, tf, log, onResult, { only, extra, seed });
  const verdict = printOutcomes(io, hello, model, outcomes);
  if (values.report) io.say(writeReport(values.report, hello, model, values.impl, outcomes, sandbox!, seed));
  const implementation = { name: hello.name, version: hello.version };
  return { code: verdict.conforms ? 0 : 1, model, seed, implementation, outcomes, ...verdict };
}

function reportFiles(dir: string, model: string): { json: string; csv: string } {
  const base = path.join(dir, `validate-${model}`);
  return { json: `${base}.json`, csv: `${base}.csv` };
}

function checkReportDir(dir: string, model: string): void {
  checkOutputDir(dir, '--report');
  const files = reportFiles(dir, model);
  if (fs.existsSync(dir)) for (const file of [files.json, files.csv]) checkOutputFile(file, '--report', false);
}

function writeReport(
  dir: string,
  hello: { name: string; version: string },
  model: string,
  target: string,
  outcomes: CheckOutcome[],
  sandbox: SandboxMode,
  seed: number,
): string {
  ensureDir(dir);
  const base = `validate-${model}`;
  const files = reportFiles(dir, model);
  const record = {
    implementation: hello,
    model,
    target,
    sandbox,
    seed,
    date: new Date().toISOString(),
    verdict: conformanceVerdict(outcomes),
    outcomes,
  };
  writeFileAtomic(files.json, JSON.stringify(record, null, 2) + '\n');
  const columns = [
    'implementation',
    'version',
    'seed',
    'model',
    'check',
    'status',
    'measured',
    'expected',
    'tolerance',
    'detail',
    'seconds',
    'description',
  ];
  writeFileAtomic(
    files.csv,
    stringify(
      outcomes.map((o) => ({ implementation: hello.name, version: hello.version, seed, ...o })),
      { header: true, columns },
    ),
  );
  return `report: ${path.join(dir, base)}.{csv,json}\n`;
}

/** Models whose optimum is certified, so that any data can check it (capabilities.convexObjective). */
const userDataModels = () => MODELS.filter((m) => m.capabilities.convexObjective && m.userDataCheck).map((m) => m.name);

/** --data NAME|FILE.csv: one more optimum check on the user's data (the model's own, e.g. logreg C = 1). */
function userDataChecks(model: string, spec: string): Check[] {
  const load = (): Dataset => {
    const named = NAMED_DATASETS[spec];
    return named ? named() : readLabelledCsv(spec);
  };
  const m = modelByName(model);
  if (!m?.capabilities.convexObjective || !m.userDataCheck) {
    throw new UsageError(
      `--data applies to ${userDataModels().join(' and ')} (their optimum ` +
        `checks); the ${model} checks use data with known exact answers`,
    );
  }
  try {
    load();
  } catch (e) {
    if (e instanceof DataError) throw new UsageError(e.message);
    throw e;
  }
  return [m.userDataCheck(NAMED_DATASETS[spec] ? spec : path.basename(spec), load)];
}
