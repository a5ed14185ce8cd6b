// Writing results so that nothing is ever half-written: each file is written beside its target and
// renamed over it (a reader, or a run killed half-way, sees the old file or the new one), a set of
// files is renamed only once every one of them is written (so they never disagree), and a folder or
// file that cannot be written is one clear error naming the path, with no temporary file left behind.
import fs from 'node:fs';
import path from 'node:path';
import { OutputError } from '../errors.js';

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
      if (!stat.isDirectory())
        throw outputError(
          dir,
          Object.assign(new Error('not a folder'), { code: p === absolute ? 'EEXIST' : 'ENOTDIR' }),
        );
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

/** What a path is, in words, when it is neither a regular file nor a folder. */
function specialKind(stat: fs.Stats): string | undefined {
  if (stat.isFile() || stat.isDirectory()) return undefined;
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Standard output, by name: the only output path that is not a file. */
export const STDOUT = '-';

/**
 * An output file must be a regular file (or not exist yet): writing it means renaming a new file over
 * it, which would replace a device such as /dev/null, a FIFO or a symbolic link to one by a regular file.
 * Checked before any work, so a mistake costs nothing; `-` (standard output) is for the caller to handle.
 */
export function checkOutputFile(file: string, option: string, stdoutToo = true): void {
  const instead = stdoutToo ? `give a file path, or ${STDOUT} for standard output` : 'give a file path';
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, { throwIfNoEntry: false });
  } catch (e) {
    throw outputError(file, e);
  }
  if (stat?.isDirectory()) throw outputError(file, Object.assign(new Error('is a folder'), { code: 'EISDIR' }));
  const kind = stat && specialKind(stat);
  if (kind)
    throw new OutputError(`${option} ${file}: it is ${kind}, not a regular file, and would be replaced; ${instead}`);
  const link = fs.lstatSync(file, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) {
    const target = fs.readlinkSync(file);
    throw new OutputError(
      `${option} ${file}: it is a symbolic link, not a regular file, and ` +
        `writing would replace it; give the file it points to (${target})`,
    );
  }
  const parent = fs.statSync(path.dirname(path.resolve(file)), { throwIfNoEntry: false });
  if (!parent) throw outputError(file, Object.assign(new Error('no parent'), { code: 'ENOENT' }));
  if (!parent.isDirectory()) throw outputError(file, Object.assign(new Error('parent is a file'), { code: 'ENOTDIR' }));
  writable(file, path.dirname(path.resolve(file)));
}

/**
 * The folder a file would be written into accepts writes (a read-only mount or a folder without permission fails here,
 * before the work).
 */
function writable(target: string, folder: string): void {
  try {
    fs.accessSync(folder, fs.constants.W_OK);
  } catch (e) {
    throw outputError(target, e);
  }
}

/** An output folder must be a folder, or not exist yet (it is then made, with its parents); checked before any work. */
export function checkOutputDir(dir: string, option: string): void {
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (stat) {
      const which = p === path.resolve(dir) ? 'it' : p;
      if (!stat.isDirectory())
        throw new OutputError(
          `${option} ${dir}: ${which} is ${specialKind(stat) ?? 'a file'}, not a folder; give a folder`,
        );
      writable(dir, p);
      return;
    }
    if (path.dirname(p) === p) return;
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
    // A device, FIFO or link renamed over would be destroyed (as root, /dev/null itself), so those are refused too.
    for (const { file } of files) {
      const stat = fs.lstatSync(file, { throwIfNoEntry: false });
      if (stat?.isDirectory()) throw outputError(file, Object.assign(new Error('is a folder'), { code: 'EISDIR' }));
      if (stat && !stat.isFile()) {
        const kind = stat.isSymbolicLink() ? 'a symbolic link' : specialKind(stat);
        throw new OutputError(
          `cannot write ${file}: it is ${kind}, not a regular file, and would be replaced; give a file path`,
        );
      }
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
