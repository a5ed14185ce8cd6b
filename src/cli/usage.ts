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
