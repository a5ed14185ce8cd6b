// Numeric fit options shared by the models (--C, --tol, --gamma): one parser, one error wording.

/** A positive number, or `inf` where allowed; `fallback` when the option is absent. */
export function parsePositiveOption(name: string, raw: string | undefined, fallback: number, allowInf = false): number {
  if (raw === undefined) return fallback;
  const value = allowInf && /^(inf|infinity)$/i.test(raw) ? Infinity : Number(raw);
  if (!(value > 0)) throw new Error(`--${name} must be a positive number${allowInf ? " or 'inf'" : ''}, got '${raw}'`);
  return value;
}
