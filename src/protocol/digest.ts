// The digest of an answer (protocol 3): a timed request that keeps its result by handle answers with
// this digest at once, so the result must exist when the clock stops; the harness fetches the result
// after timing and recomputes it. Defined so that any language can compute it (docs/protocol.md):
// the fields in sorted order of their names, each as its name's UTF-8 bytes and a NUL byte, then its
// value: a number as float64 little-endian, an array as its elements in order (nested arrays flatten),
// a string as its UTF-8 bytes, true/false as one byte 1/0, null as nothing, an object as its fields
// the same way; SHA-256 of it all, written "sha256:" and 64 hex digits.
import { createHash, type Hash } from 'node:crypto';

/** Fields of a timed answer that are about the answer, not part of the result. */
const NOT_RESULT = new Set(['handle', 'digest', 'elapsed_ms']);

function feed(hash: Hash, value: unknown): void {
  if (typeof value === 'number') {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value);
    hash.update(bytes);
  } else if (Array.isArray(value)) {
    // A list of numbers (a vector, a matrix row) in one update: this runs inside the timing.
    if (value.every((v) => typeof v === 'number'))
      hash.update(new Uint8Array(Float64Array.from(value as number[]).buffer));
    else for (const item of value) feed(hash, item);
  } else if (typeof value === 'string') {
    hash.update(Buffer.from(value, 'utf8'));
  } else if (typeof value === 'boolean') {
    hash.update(Buffer.of(value ? 1 : 0));
  } else if (value !== null && typeof value === 'object') {
    feedFields(hash, value as Record<string, unknown>, new Set());
  }
}

function feedFields(hash: Hash, fields: Readonly<Record<string, unknown>>, skip: ReadonlySet<string>): void {
  for (const name of Object.keys(fields).sort()) {
    if (skip.has(name)) continue;
    hash.update(Buffer.from(name, 'utf8'));
    hash.update(Buffer.of(0));
    feed(hash, fields[name]);
  }
}

/** The digest of a result: every field but handle, digest and elapsed_ms. */
export function resultDigest(answer: Readonly<Record<string, unknown>>): string {
  const hash = createHash('sha256');
  feedFields(hash, answer, NOT_RESULT);
  return `sha256:${hash.digest('hex')}`;
}
