// Each command's options, as one table: the same table parses the command line (node:util parseArgs)
// and prints the command's --help, so the two cannot disagree.
import { parseArgs } from 'node:util';
import { UsageError } from './usage.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** The placeholder shown in --help, e.g. N or FILE. */
  readonly value?: string;
  readonly default?: string | boolean;
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

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S['multiple'] extends true ? string[] : string | undefined;
export type Values<T extends Readonly<Record<string, OptionSpec>>> = { -readonly [K in keyof T]: ValueOf<T[K]> };

export function defineCommand<T extends Readonly<Record<string, OptionSpec>>>(spec: CommandSpec<T>): CommandSpec<T> {
  return spec;
}

/** The usage line: `modelbench NAME POSITIONALS [--option VALUE] ...`. */
export function usageLine(spec: CommandSpec): string {
  const opts = Object.entries(spec.options).map(([k, o]) => (o.type === 'boolean' ? `[--${k}]` : `[--${k} ${o.value ?? 'VALUE'}]${o.multiple ? '...' : ''}`));
  return [spec.program ?? `modelbench ${spec.name}`, spec.positionals, ...opts].filter(Boolean).join(' ');
}

export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([k, o]) => {
    const left = o.type === 'boolean' ? `--${k}` : `--${k} ${o.value ?? 'VALUE'}`;
    const def = o.default !== undefined && o.default !== false ? ` (default: ${o.default})` : '';
    return `  ${left.padEnd(28)} ${o.help}${def}${o.multiple ? ' (repeatable)' : ''}`;
  });
  return [`usage: ${usageLine(spec)}`, '', spec.summary, '', 'options:', ...rows, '  --help                       this text', ...(spec.more?.() ?? [])].join('\n') + '\n';
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** Parses argv against the table; an unknown option or a missing value is a UsageError that points at --help. */
export function parseCommand<T extends Readonly<Record<string, OptionSpec>>>(spec: CommandSpec<T>, argv: string[]): { values: Values<T>; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([k, o]) => [k, { type: o.type, multiple: Boolean(o.multiple), ...(o.default !== undefined ? { default: o.multiple ? [o.default] : o.default } : o.multiple ? { default: [] } : {}) }]),
  );
  try {
    const { values, positionals } = parseArgs({ args: argv, options: options as NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>, strict: true, allowPositionals: spec.positionals !== undefined });
    return { values: values as Values<T>, positionals };
  } catch (e) {
    if (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw new UsageError(`${e.message.split('\n')[0].replace(/\. To specify a positional.*$/, '')}; see ${spec.program ?? `modelbench ${spec.name}`} --help`);
    throw e;
  }
}

/** A seed: a whole number from 0 to 2^32 - 1 (the generators are 32-bit). */
export function parseSeed(raw: string | undefined, fallback: number, option = '--seed'): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n > 2 ** 32 - 1) throw new UsageError(`${option} must be a whole number from 0 to 4294967295, got '${raw}'`);
  return n;
}
