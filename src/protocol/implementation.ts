// An implementation under test: ours on a backend served through the protocol, a bundled peer, a
// user's module or command. validate, run --impl, fit --impl, modelbench/vitest and the scorecard all
// hold one of these and start its processes through it; the limits travel with it.
import { UsageError } from '../errors.js';
import { BUNDLED, bundledByName } from './bundled.js';
import type { Limits } from './client.js';
import type { SandboxMode } from './sandbox.js';

export interface Implementation {
  /** What rows, tables and verdicts call it. */
  readonly name: string;
  /** A module path (.mjs/.js/.ts) or a command line. */
  readonly target: string;
  readonly limits: Limits;
}

/** What the commands and the vitest export let a user set; `limitsFrom` is the one place that builds Limits. */
export interface LimitOptions {
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly sandbox: SandboxMode;
  readonly env?: Readonly<Record<string, string>>;
  readonly binds?: readonly string[];
}

export function limitsFrom(o: LimitOptions): Limits & { readonly sandbox: SandboxMode } {
  return { timeoutMs: o.timeoutMs, memoryMb: o.memoryMb, sandbox: o.sandbox, env: o.env ?? {}, binds: o.binds ?? [] };
}

/** An implementation for a target the user gave (validate --impl, the vitest export): named after it. */
export function implementationAt(target: string, limits: Limits): Implementation {
  return { name: target, target, limits };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** --impl NAME=TARGET or a bundled NAME; names must be unique and not shadow a bundled one with another target. */
export function parseImplOption(value: string, limits: Limits): Implementation {
  const eq = value.indexOf('=');
  if (eq < 0) {
    const bundled = bundledByName(value);
    if (!bundled)
      throw new UsageError(
        `--impl ${value}: give NAME=TARGET (a .mjs/.js/.ts module or a ` +
          `command), or a bundled implementation: ` +
          `${BUNDLED.map((b) => b.name).join(', ')}`,
      );
    return {
      name: bundled.name,
      target: bundled.target,
      limits: { ...limits, env: { ...bundled.env, ...limits.env } },
    };
  }
  const name = value.slice(0, eq);
  const target = value.slice(eq + 1).trim();
  if (!NAME.test(name))
    throw new UsageError(
      `--impl ${value}: the name '${name}' must be letters, digits, '.', '_' ` +
        `or '-' (it becomes the rows' implementation column)`,
    );
  if (name === 'modelbench')
    throw new UsageError(`--impl ${value}: 'modelbench' names our own rows; choose another name`);
  if (!target)
    throw new UsageError(
      `--impl ${value}: no TARGET after '='; give a module path or a command such as "python3 my_impl.py"`,
    );
  const bundled = bundledByName(name);
  // Rows are labelled by name: another target under a bundled name would pass its results off as the bundled one's.
  if (bundled && bundled.target !== target)
    throw new UsageError(
      `--impl ${value}: '${name}' is a bundled implementation; give yours ` +
        `another NAME (or --impl ${name} alone for the bundled one)`,
    );
  return { name, target, limits };
}
