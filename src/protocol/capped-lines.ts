// Splits a stream into lines without trusting it: a line longer than `maxLine` bytes is reported
// once (onOverflow) instead of growing a string until V8 gives up, and nothing more is read from a
// stream past `maxTotal` bytes. Code under test may print endlessly without a newline.
import type { Readable } from 'node:stream';

export interface CappedLineHandlers {
  line(text: string): void;
  /** The stream broke a limit; what it says next is dropped (for answers: the request fails). */
  overflow(what: string): void;
}

export function readCappedLines(stream: Readable, maxLine: number, maxTotal: number, on: CappedLineHandlers): void {
  let parts: Buffer[] = [];
  let pending = 0;
  let total = 0;
  let dropping = false;
  stream.on('data', (chunk: Buffer) => {
    if (dropping) return;
    total += chunk.length;
    if (total > maxTotal) {
      dropping = true;
      on.overflow(`more than ${maxTotal} bytes of output`);
      return;
    }
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (pending + nl - start > maxLine) {
        dropping = true;
        on.overflow(`a line longer than ${maxLine} bytes`);
        return;
      }
      parts.push(chunk.subarray(start, nl));
      on.line(Buffer.concat(parts).toString('utf8').replace(/\r$/, ''));
      parts = [];
      pending = 0;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    pending += rest.length;
    if (pending > maxLine) {
      dropping = true;
      parts = [];
      on.overflow(`a line longer than ${maxLine} bytes`);
      return;
    }
    if (rest.length) parts.push(rest);
  });
}
