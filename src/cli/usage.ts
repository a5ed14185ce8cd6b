// Errors the user can fix: printed without a stack trace, with exit code 2.
import { BACKENDS, backendByName } from '../backends/registry.js';
import type { BackendSpec } from '../types.js';
import { UsageError } from '../errors.js';

/** Splits "a,b" and checks every name against the valid ones, listing them on a mistake. */
export function parseNameList(raw: string | undefined, valid: readonly string[], what: string): string[] {
  if (raw === undefined) return [...valid];
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !valid.includes(n));
  if (unknown.length > 0)
    throw new UsageError(`unknown ${what} '${unknown.join("', '")}'; valid ${what}s: ${valid.join(', ')}`);
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
    if (!arg.startsWith('--') || arg === '--')
      throw new UsageError(`unexpected argument '${arg}'; options look like --name value`);
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
      if (value === undefined || (value.startsWith('--') && value.length > 2))
        throw new UsageError(`--${key} needs a value`);
      out[key] = value;
      i++;
    }
  }
  return out;
}

/** A backend a command starts in its own process: known, and not one whose cells run in a browser page. */
export function inProcessBackend(name: string, command: string): BackendSpec {
  const spec = backendByName(name);
  const here = BACKENDS.filter((b) => !b.host).map((b) => b.name);
  if (!spec) throw new UsageError(`unknown backend '${name}'; valid backends: ${here.join(', ')}`);
  if (spec.host)
    throw new UsageError(
      `${name} runs in a headless Chromium page, which \`${command}\` does ` +
        `not start: use one of ${here.join(', ')} here, or time ${name} with ` +
        `\`modelbench run --backends ${name}\``,
    );
  return spec;
}
