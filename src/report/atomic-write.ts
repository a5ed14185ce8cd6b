// Writing results so that nothing is ever half-written: each file is written beside its target and
// renamed over it (a reader, or a run killed half-way, sees the old file or the new one), a set of
// files is renamed only once every one of them is written (so they never disagree), and a folder or
// file that cannot be written is one clear error naming the path, with no temporary file left behind.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli/usage.js';

/** A path modelbench was asked to write and cannot: the path, the reason and the fix. */
export class OutputError extends UsageError {}

const FIXES: Readonly<Record<string, string>> = {
  ENOENT: 'a folder above it does not exist: create it or choose another path',
  ENOTDIR: 'a part of the path is a file, not a folder: choose another path',
  EISDIR: 'it is a folder: give a file name',
  EACCES: 'permission denied: choose a folder you can write to',
  EPERM: 'not permitted: choose a folder you can write to',
  EROFS: 'the file system is read-only: choose a writable folder',
  ENOSPC: 'the disk is full: free space or choose another disk (nothing was half-written)',
  EDQUOT: 'the disk quota is exhausted: free space or choose another disk (nothing was half-written)',
  EEXIST: 'it exists and is not a folder: choose another path',
};

export function outputError(target: string, e: unknown): OutputError {
  const code = e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
  const why = FIXES[code] ?? (e instanceof Error ? e.message : String(e));
  return new OutputError(`cannot write ${target}${code ? ` (${code})` : ''}: ${why}`);
}

/**
 * Creates a folder and its parents one level at a time (Node's recursive mkdir loops forever on
 * some paths, /proc/... among them), refusing a path where a file stands.
 */
export function ensureDir(dir: string): void {
  const absolute = path.resolve(dir);
  const missing: string[] = [];
  for (let p = absolute; ; p = path.dirname(p)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT') throw outputError(dir, e);
    }
    if (stat) {
      if (!stat.isDirectory()) throw outputError(dir, Object.assign(new Error('not a folder'), { code: p === absolute ? 'EEXIST' : 'ENOTDIR' }));
      break;
    }
    missing.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const p of missing) {
    try {
      fs.mkdirSync(p);
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw outputError(dir, e);
    }
  }
}

function tmpName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
}

/** Writes every file, then renames them all; on any failure no target changes and no temporary file stays. */
export function writeFilesAtomic(files: readonly { readonly file: string; readonly content: string }[]): void {
  const written: string[] = [];
  try {
    // Renames do not fail for want of space; a folder where a file should go is the failure left, so look first.
    for (const { file } of files) {
      if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw outputError(file, Object.assign(new Error('is a folder'), { code: 'EISDIR' }));
    }
    for (const { file, content } of files) {
      const tmp = tmpName(file);
      written.push(tmp);
      try {
        fs.writeFileSync(tmp, content);
      } catch (e) {
        throw outputError(file, e);
      }
    }
    for (const { file } of files) {
      try {
        fs.renameSync(tmpName(file), file);
      } catch (e) {
        throw outputError(file, e);
      }
    }
  } catch (e) {
    for (const tmp of written) fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeFileAtomic(file: string, content: string): void {
  writeFilesAtomic([{ file, content }]);
}
