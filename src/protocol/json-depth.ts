// How deeply a JSON text nests, read without parsing it: an implementation's answer is bounded before
// JSON.parse and before anything walks it recursively (a 2e6-deep hello once overflowed the stack).

/** The deepest level of arrays and objects in `text` (strings skipped); stops counting past `stopAt`. */
export function jsonDepth(text: string, stopAt = 1e6 + 1): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > deepest) deepest = depth;
      if (deepest >= stopAt) return deepest;
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/** Answers nest a few levels (an object of matrices); 64 leaves room for any honest one. */
export const MAX_JSON_DEPTH = 64;
