// What of the machine's files an implementation under test needs to see, and nothing more: its own
// project (the folder above each file it names holding package.json, pyproject.toml, setup.py or .git;
// else the file's folder), the
// runtime it names when that lives outside the system folders (pyenv, nvm), and for a module the
// harness's host and its loader. The user's home, other projects and the rest of the checkout stay out.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../layout.js';
import { isSystemPath } from './sandbox.js';
import { shellWords } from './shell-words.js';

/** What marks a project's root folder: a package (with its node_modules), a Python project, a repository. */
const PROJECT_MARKERS = ['package.json', 'pyproject.toml', 'setup.py', 'setup.cfg', '.git'];

/** Folders shared with everything else on the machine: a file lying directly in one is shown alone. */
function sharedFolders(): string[] {
  return [os.tmpdir(), '/tmp', '/var/tmp', ...(process.env.HOME ? [process.env.HOME] : [])].map((d) => path.resolve(d));
}

/**
 * The project a file belongs to (the nearest folder above it with a marker, the home folder excluded), else its folder,
 * else itself.
 */
function projectRoot(file: string): string {
  const shared = sharedFolders();
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (shared.includes(dir) || path.dirname(dir) === dir)
      return shared.includes(path.dirname(file)) ? file : path.dirname(file);
    if (PROJECT_MARKERS.some((m) => fs.existsSync(path.join(dir, m)))) return dir;
  }
}

/** The folder a runtime is installed in (…/bin/python3 gives …), found on PATH when the name has no slash. */
function runtimePrefix(word: string, cwd: string): string | undefined {
  const candidates = word.includes('/')
    ? [path.resolve(cwd, word)]
    : (process.env.PATH ?? '')
        .split(':')
        .filter(Boolean)
        .map((d) => path.join(d, word));
  const found = candidates.find((c) => fs.statSync(c, { throwIfNoEntry: false })?.isFile());
  if (!found) return undefined;
  const real = fs.realpathSync(found);
  return isSystemPath(real) ? undefined : path.dirname(path.dirname(real));
}

/** The folder of each existing file a word names (itself for a folder), `--opt=path` included. */
function namedFolders(words: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const word of words) {
    const value = /^--?[\w-]+=(.+)$/.exec(word)?.[1] ?? word;
    if (value === '' || value.startsWith('-')) continue;
    const full = path.resolve(cwd, value);
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (!stat) continue;
    // A script may import from beside it or from its package's node_modules: its whole project is its own.
    const folder = stat.isDirectory() ? full : projectRoot(full);
    if (!isSystemPath(folder) && !sharedFolders().includes(folder)) out.push(fs.realpathSync(folder));
  }
  return out;
}

/** The node_modules holding tsx (the module host's TypeScript loader), wherever npm hoisted it. */
function loaderModules(): string[] {
  try {
    const tsx = createRequire(path.join(ROOT, 'package.json')).resolve('tsx/package.json');
    return [path.dirname(path.dirname(tsx))];
  } catch {
    return [];
  }
}

/** The read-only paths a module target needs: its package, the harness's host, the runtime running it. */
export function moduleTargetPaths(file: string): string[] {
  const runtime = isSystemPath(fs.realpathSync(process.execPath))
    ? []
    : [path.dirname(path.dirname(fs.realpathSync(process.execPath)))];
  return [fs.realpathSync(projectRoot(file)), ROOT, ...loaderModules(), ...runtime];
}

/** The read-only paths a command line needs: the folders of the files it names, and its runtime. */
export function commandTargetPaths(command: string, cwd: string): string[] {
  const words = shellWords(command);
  const runtime = words.length > 0 ? runtimePrefix(words[0], cwd) : undefined;
  return [...namedFolders(words, cwd), ...(runtime ? [runtime] : [])];
}
