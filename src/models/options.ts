// Numeric fit options shared by the models (--C, --tol, --gamma): one parser, one error wording.

/** A positive number, or `inf` where allowed; `fallback` when the option is absent. */
export function parsePositiveOption(name: string, raw: string | undefined, fallback: number, allowInf = false): number {
  if (raw === undefined) return fallback;
  const value = allowInf && /^(inf|infinity)$/i.test(raw) ? Infinity : Number(raw);
  if (!(value > 0)) throw new Error(`--${name} must be a positive number${allowInf ? " or 'inf'" : ''}, got '${raw}'`);
  return value;
}

/** A positive integer (or, with allowZero, a non-negative one); `fallback` when the option is absent. */
export function parseIntegerOption(name: string, raw: string | undefined, fallback: number, allowZero = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1))
    throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got '${raw}'`);
  return value;
}
