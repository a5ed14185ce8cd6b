// Text from outside the harness (an implementation's words, a file's field) made safe to print.

/** The text with every control and bidi-override character escaped, cut at maxChars with a note. */
export function printable(text: string, maxChars = Number.POSITIVE_INFINITY): string {
  const shown =
    text.length > maxChars ? `${text.slice(0, maxChars)}… [${text.length} characters, cut at ${maxChars}]` : text;
  return shown.replace(
    /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
