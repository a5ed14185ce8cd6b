// The hello handshake: the first request to every implementation process, which says what it is,
// which models (and workloads) it offers and which protocol version it speaks.
import { CannotStart, MAX_ERROR_CHARS } from '../errors.js';
import { printable } from '../printable.js';
import {
  MAX_WORDS_CHARS,
  PROTOCOL_VERSION,
  SUPPORTED_PROTOCOLS,
  type Answer,
  type Hello,
  type Request,
} from './messages.js';

/** Checks a hello answer: its shape and its protocol version; the name and version made printable. */
export function helloOf(answer: Answer, target: string): Hello {
  const models = answer.models;
  if (typeof answer.name !== 'string' || !Array.isArray(models) || !models.every((m) => typeof m === 'string')) {
    throw new CannotStart(
      printable(
        `the hello answer needs {"name": str, "version": str, "models": [str, ` +
          `...]}, got ${JSON.stringify(answer).slice(0, 200)}`,
      ),
    );
  }
  const protocol = answer.protocol ?? 1;
  if (typeof protocol !== 'number' || !SUPPORTED_PROTOCOLS.includes(protocol)) {
    const spoken =
      `${SUPPORTED_PROTOCOLS.slice(0, -1).join(', ')} and ` + `${SUPPORTED_PROTOCOLS[SUPPORTED_PROTOCOLS.length - 1]}`;
    throw new CannotStart(
      printable(
        `${target} speaks protocol version ` +
          `${JSON.stringify(protocol).slice(0, 40)}; this modelbench speaks ` +
          `${spoken}: answer hello with "protocol": ${PROTOCOL_VERSION}` +
          ` (docs/protocol.md), or use the modelbench release that speaks ` +
          `${JSON.stringify(protocol)}`,
      ),
    );
  }
  // Every word of the hello reaches the terminal and the results: shown on one line, capped, never obeyed.
  const hello = answer as unknown as Hello;
  const words = (v: unknown) => printable(String(v ?? ''), MAX_WORDS_CHARS);
  return {
    ...hello,
    protocol,
    name: words(hello.name),
    version: words(hello.version),
    ...(typeof hello.device === 'string' ? { device: words(hello.device) } : { device: undefined }),
    ...(typeof hello.unavailable === 'string'
      ? {
          unavailable: printable(hello.unavailable, MAX_ERROR_CHARS),
          fix: printable(String(hello.fix ?? 'see its documentation'), MAX_ERROR_CHARS),
        }
      : {}),
    expected_failures: expectedFailuresOf(hello.expected_failures),
  };
}

/** The declared expected failures, each reason made printable; anything but an object of strings is none. */
function expectedFailuresOf(raw: unknown): Record<string, string> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [printable(k, MAX_WORDS_CHARS), printable(String(v), MAX_ERROR_CHARS)]),
  );
}

/** The hello request: it says which protocol version the harness speaks. */
export const HELLO: Request = { op: 'hello', protocol: PROTOCOL_VERSION };

/**
 * The reason an implementation gave for failing `name` (a check or a workload) of `model`: one table,
 * keyed MODEL/NAME; a bare check name, the older form, still counts (check names are unique).
 */
export function declaredFailure(hello: Hello, model: string, name: string): string | undefined {
  const table = hello.expected_failures ?? {};
  return table[`${model}/${name}`] ?? table[name];
}
