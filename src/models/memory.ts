// Refusing work whose buffers cannot fit, before it starts: naming the buffer, its size and the
// limit, instead of a "memory access out of bounds" or a RangeError minutes later.
import os from 'node:os';
import { TooBig } from '../errors.js';

/** The biggest set of float32 buffers a command allows itself, as a share of the machine's memory. */
export const MEMORY_SHARE = 0.25;

/** Throws TooBig for the first buffer (or the total) over the limit; bytes are what each needs at once. */
export function checkWorkingMemory(
  buffers: readonly (readonly [what: string, bytes: number])[],
  fix: string,
  totalBytes = os.totalmem(),
): void {
  const limit = totalBytes * MEMORY_SHARE;
  const gib = (b: number) => (b / 2 ** 30).toFixed(2);
  const total = buffers.reduce((s, [, b]) => s + b, 0);
  for (const [what, bytes] of [...buffers, ['together, these buffers', total] as const]) {
    if (bytes > limit)
      throw new TooBig(
        `${what} needs ${gib(bytes)} GiB, over the ${gib(limit)} GiB this ` +
          `command allows itself (a quarter of ` +
          `${(totalBytes / 2 ** 30).toFixed(1)} GiB); ${fix}`,
      );
  }
}
