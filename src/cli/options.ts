// Each command's options, as one table: the same table parses the command line (node:util parseArgs)
// and prints the command's --help, so the two cannot disagree.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** The placeholder shown in --help, e.g. N or FILE. */
  readonly value?: string;
  readonly default?: string | boolean;
  /**
   * The value the command uses when neither the command line nor a file the command reads (a gate
   * config, a suite) gives one: shown in --help as the default, but not filled in by the parser, so
   * the command can tell an option left out from one given.
   */
  readonly fallback?: string;
  readonly multiple?: boolean;
  readonly help: string;
}

export interface CommandSpec<T extends Readonly<Record<string, OptionSpec>> = Readonly<Record<string, OptionSpec>>> {
  readonly name: string;
  /** How it is invoked when that is not `modelbench NAME` (a script under scripts/). */
  readonly program?: string;
  /** One line: what the command does. */
  readonly summary: string;
  /** The positional arguments, as shown in the usage line (e.g. 'BASELINE CANDIDATE'); none when absent. */
  readonly positionals?: string;
  readonly options: T;
  /** Lines shown after the options (e.g. the options each model adds). */
  readonly more?: () => string[];
}

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[]
    : string | undefined;
export type Values<T extends Readonly<Record<string, OptionSpec>>> = { -readonly [K in keyof T]: ValueOf<T[K]> };

export function defineCommand<T extends Readonly<Record<string, OptionSpec>>>(spec: CommandSpec<T>): CommandSpec<T> {
  return spec;
}

/** The usage line: `modelbench NAME POSITIONALS [--option VALUE] ...`. */
export function usageLine(spec: CommandSpec): string {
  const opts = Object.entries(spec.options).map(([k, o]) =>
    o.type === 'boolean' ? `[--${k}]` : `[--${k} ${o.value ?? 'VALUE'}]${o.multiple ? '...' : ''}`,
  );
  return [spec.program ?? `modelbench ${spec.name}`, spec.positionals, ...opts].filter(Boolean).join(' ');
}

export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([k, o]) => {
    const left = o.type === 'boolean' ? `--${k}` : `--${k} ${o.value ?? 'VALUE'}`;
    const shown = o.fallback ?? o.default;
    const def = shown !== undefined && shown !== false ? ` (default: ${shown})` : '';
    return `  ${left.padEnd(28)} ${o.help}${def}${o.multiple ? ' (repeatable)' : ''}`;
  });
  return (
    [
      `usage: ${usageLine(spec)}`,
      '',
      spec.summary,
      '',
      'options:',
      ...rows,
      '  --help                       this text',
      ...(spec.more?.() ?? []),
    ].join('\n') + '\n'
  );
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** `--seed -1`: a value that is a negative number, not an option (parseArgs would call it ambiguous). */
const NEGATIVE_NUMBER = /^-(\d|\.\d|inf)/i;

/** Joins `--name -1` into `--name=-1` for the table's string options, so the value reaches its own range check. */
function joinNegativeValues(spec: CommandSpec, argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : undefined;
    const next = argv[i + 1];
    if (
      name !== undefined &&
      spec.options[name]?.type === 'string' &&
      next !== undefined &&
      NEGATIVE_NUMBER.test(next)
    ) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** parseArgs' message, as one line that says what to do (its "ambiguous" wording names no fix a user can read). */
function parseArgsMessage(spec: CommandSpec, argv: readonly string[], e: Error): string {
  const see = `see ${spec.program ?? `modelbench ${spec.name}`} --help`;
  const ambiguous = /^Option '--([^']+)' argument is ambiguous/.exec(e.message);
  if (ambiguous) {
    const option = `--${ambiguous[1]}`;
    const value = argv[argv.indexOf(option) + 1] ?? '';
    return (
      `${option} is followed by '${value}', which reads as an option: give ` +
      `${option} a value, or write ${option}=${value} if that is the value; ` +
      `${see}`
    );
  }
  return `${e.message.split('\n')[0].replace(/\. To specify a positional.*$/, '')}; ${see}`;
}

/** Parses argv against the table; an unknown option or a missing value is a UsageError that points at --help. */
export function parseCommand<T extends Readonly<Record<string, OptionSpec>>>(
  spec: CommandSpec<T>,
  argv: string[],
): { values: Values<T>; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([k, o]) => [
      k,
      {
        type: o.type,
        multiple: Boolean(o.multiple),
        ...(o.default !== undefined
          ? { default: o.multiple ? [o.default] : o.default }
          : o.multiple
            ? { default: [] }
            : {}),
      },
    ]),
  );
  const args = joinNegativeValues(spec, argv);
  try {
    type Options = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;
    const { values, positionals } = parseArgs({
      args,
      options: options as Options,
      strict: true,
      allowPositionals: spec.positionals !== undefined,
    });
    return { values: values as Values<T>, positionals };
  } catch (e) {
    const fromParseArgs =
      e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS');
    if (fromParseArgs) throw new UsageError(parseArgsMessage(spec, args, e as Error));
    throw e;
  }
}

/** The largest seed: the generators are 32-bit. */
export const MAX_SEED = 2 ** 32 - 1;

/** A seed, parsed alike by every command: a decimal whole number from 0 to 2^32 - 1 (not 0x10, 1e3, -1 or ''). */
export function parseSeed(raw: string | undefined, fallback: number, option = '--seed'): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n > MAX_SEED) {
    throw new UsageError(`${option} must be a whole number from 0 to ${MAX_SEED}, got '${raw}'`);
  }
  return n;
}

/** Node's timers hold at most 2^31 - 1 ms; a longer timeout fires at once (TimeoutOverflowWarning). */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
/** The smallest memory limit a process under test can start in. */
export const MIN_MEMORY_MB = 16;

/** A time limit in seconds: a positive decimal number up to what setTimeout holds (e.g. 120 or 0.5). */
export function parseSeconds(raw: string, option: string): number {
  const n = Number(raw);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(raw.trim()) || !(n > 0) || n > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(
      `${option} must be a number of seconds above 0 and at most ` +
        `${MAX_TIMEOUT_SECONDS} (what Node's timers hold), got '${raw}'`,
    );
  }
  return n;
}

/** The machine's memory in whole MB: the largest memory limit that means anything here. */
export function machineMemoryMb(): number {
  return Math.floor(os.totalmem() / 2 ** 20);
}

/** A memory limit: whole MB (ulimit and V8 take integers), from MIN_MEMORY_MB to the machine's memory. */
export function parseMegabytes(raw: string, option: string, totalMb = machineMemoryMb()): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < MIN_MEMORY_MB || n > totalMb) {
    throw new UsageError(
      `${option} must be a whole number of MB from ${MIN_MEMORY_MB} to ` +
        `${totalMb} (this machine's memory), got '${raw}'`,
    );
  }
  return n;
}

/** A count such as --repeat: a whole number from 1 to `max`. */
export function parseCount(raw: string, option: string, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > max)
    throw new UsageError(`${option} must be a whole number from 1 to ${max}, got '${raw}'`);
  return n;
}
