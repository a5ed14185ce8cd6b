// Row-key globs ("logreg/fit/*/webgpu"): `*` matches anything, everything else literally.
export function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** One part of a "GLOB=VALUE[,GLOB=VALUE]" spec: the glob, its pattern, and the value's text and number. */
export interface GlobPart {
  readonly raw: string;
  readonly glob: string;
  readonly pattern: RegExp;
  readonly text: string;
  readonly value: number;
}

/** The parts of a "GLOB=VALUE[,GLOB=VALUE]" spec, split at each part's last '='; the callers check the values. */
export function globParts(spec: string): GlobPart[] {
  return spec
    .split(',')
    .filter((raw) => raw.trim() !== '')
    .map((raw) => {
      const at = raw.lastIndexOf('=');
      const glob = at > 0 ? raw.slice(0, at) : '';
      const text = at > 0 ? raw.slice(at + 1).trim() : '';
      return { raw, glob, pattern: globToRegExp(glob), text, value: text === '' ? NaN : Number(text) };
    });
}
