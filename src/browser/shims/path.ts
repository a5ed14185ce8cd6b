// `node:path` inside a Chromium page: the POSIX operations the shared modules use, on URL paths.
export const sep = '/';

export function normalize(p: string): string {
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

export const join = (...parts: string[]): string => normalize(parts.filter(Boolean).join('/'));

export function resolve(...parts: string[]): string {
  let p = '';
  for (const part of parts) p = part.startsWith('/') ? part : `${p}/${part}`;
  return normalize(p.startsWith('/') ? p : `/${p}`);
}

// dirname, basename and extname follow Node's POSIX rules exactly (no normalising: dirname('a/..') is 'a').
export function dirname(p: string): string {
  if (p === '') return '.';
  let end = -1;
  for (let i = p.length - 1, afterName = false; i >= 1; i--) {
    if (p[i] !== '/') afterName = true;
    else if (afterName) {
      end = i;
      break;
    }
  }
  if (end === -1) return p.startsWith('/') ? '/' : '.';
  return p.startsWith('/') && end === 1 ? '//' : p.slice(0, end);
}

export function basename(p: string, ext?: string): string {
  const trimmed = p.replace(/\/+$/, '');
  const b = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return ext && b.endsWith(ext) && b !== ext ? b.slice(0, -ext.length) : b;
}

export function extname(p: string): string {
  const b = basename(p);
  const i = b.lastIndexOf('.');
  // A leading dot names a hidden file, not an extension ('.rc'); '..' is the parent.
  return i <= 0 || b === '..' ? '' : b.slice(i);
}

export const isAbsolute = (p: string): boolean => p.startsWith('/');

export default { sep, normalize, join, resolve, dirname, basename, extname, isAbsolute, posix: undefined as unknown };
