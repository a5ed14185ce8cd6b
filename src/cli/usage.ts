// Errors the user can fix: printed without a stack trace, with exit code 2.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Splits "a,b" and checks every name against the valid ones, listing them on a mistake. */
export function parseNameList(raw: string | undefined, valid: readonly string[], what: string): string[] {
  if (raw === undefined) return [...valid];
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !valid.includes(n));
  if (unknown.length > 0) throw new UsageError(`unknown ${what} '${unknown.join("', '")}'; valid ${what}s: ${valid.join(', ')}`);
  if (names.length === 0) throw new UsageError(`--${what}s needs at least one name; valid: ${valid.join(', ')}`);
  return names;
}

/**
 * Parses `--key value` / `--key=value` pairs whose keys are not known in advance (each model has its
 * own fit options); `flags` lists the options that take no value.
 */
export function parseOpenOptions(argv: readonly string[], flags: ReadonlySet<string>): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') throw new UsageError(`unexpected argument '${arg}'; options look like --name value`);
    const eq = arg.indexOf('=');
    const key = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (key in out) throw new UsageError(`--${key} given twice`);
    if (flags.has(key)) {
      if (eq >= 0) throw new UsageError(`--${key} takes no value`);
      out[key] = true;
    } else if (eq >= 0) {
      out[key] = arg.slice(eq + 1);
    } else {
      const value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new UsageError(`--${key} needs a value`);
      out[key] = value;
      i++;
    }
  }
  return out;
}
