// How a cell's process is started. Through tsx, every process spends about a second more than plain
// Node: its loader hooks sit in front of each of tfjs's hundreds of modules, and our sources are
// transpiled again. So a checkout's worker and browser host are built once with esbuild (our
// sources in one ES module, every package left to Node) into node_modules/.cache, keyed by the
// sources, and forked with plain Node; where esbuild cannot build them, tsx runs the sources. Each
// harness process builds them once in memory (about 70 ms) and checks the cached files against that
// build before every use: a cache file changed by anyone else is rewritten, never run.
// The portable bundle carries its own prebuilt CommonJS files.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BUNDLE, ROOT } from '../layout.js';
import { sourceKey } from '../source-key.js';
import { MODEL_MODULES_ENV } from '../models/registry.js';
import { sourceBuildOptions } from './source-build.js';

export interface ProcessEntry {
  readonly file: string;
  readonly execArgv: readonly string[];
}

export type EntryName = 'worker' | 'browser-host' | 'module-host';

/**
 * Where each entry's source sits in a checkout, newest layout first: a baseline checkout (run --interleave) may predate
 * src/timing/.
 */
const SOURCES: Record<EntryName, readonly string[]> = {
  worker: ['src/timing/worker.ts', 'src/bench/worker.ts'],
  'browser-host': ['src/browser/host.ts'],
  // Built for counted runs (src/timing/count/count-impl.ts): tsx's loader thread makes start-up vary.
  'module-host': ['src/protocol/module-host.ts'],
};

/** The first of `paths` (newest layout first) that the checkout at `root` has, or undefined. */
export function sourceIn(root: string, paths: readonly string[]): string | undefined {
  return paths.map((p) => path.join(root, p)).find((p) => fs.existsSync(p));
}

/** The paired-timing session's source in a checkout (absent in checkouts from before it). */
export const SERVE_PAIRED_SOURCES = ['src/timing/serve-paired.ts', 'src/bench/serve-paired.ts'] as const;
export const WORKER_SOURCES = SOURCES.worker;
const BUNDLED: Record<EntryName, string> = {
  worker: 'worker.cjs',
  'browser-host': 'browser-host.cjs',
  'module-host': 'module-host.cjs',
};

/** The entries of the checkout at `root`, built in memory: file name to its text. */
async function buildInMemory(root: string): Promise<Map<string, string>> {
  const esbuild = await import('esbuild');
  // The module host is left out of a baseline checkout that predates it (only this checkout's is used).
  const entries = Object.fromEntries(
    Object.entries(SOURCES)
      .filter(([name, src]) => name !== 'module-host' || sourceIn(root, src))
      .map(([name, src]) => [name, sourceIn(root, src) ?? path.join(root, src[0])]),
  );
  const result = await esbuild.build(
    sourceBuildOptions(entries, path.join(root, 'node_modules', '.cache', 'modelbench-build')),
  );
  return new Map(result.outputFiles.map((f) => [path.basename(f.path), f.text]));
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * Makes `dir` hold exactly the built files: any file whose content hash differs from this process's own
 * build (changed behind the harness's back, half written) is written again, each beside and renamed
 * into place, so that two runs writing at once both leave whole files.
 */
function verifyOrWrite(dir: string, files: ReadonlyMap<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of files) {
    const file = path.join(dir, name);
    const onDisk = fs.existsSync(file) ? sha256(fs.readFileSync(file)) : undefined;
    if (onDisk === sha256(text)) continue;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }
}

const built = new Map<string, Promise<Map<string, string> | undefined>>();

/**
 * The folder with the prebuilt entries of the checkout at `root`, checked before each use; undefined when esbuild
 * cannot build them.
 */
async function prebuilt(root: string): Promise<string | undefined> {
  const modules = path.join(root, 'node_modules');
  if (!fs.existsSync(modules)) return undefined;
  let files = built.get(root);
  if (!files) {
    files = buildInMemory(root).catch(() => undefined);
    built.set(root, files);
  }
  const contents = await files;
  if (!contents) return undefined;
  // Keyed by the checkout's path too: the build carries its sources' paths (layout.ts finds the
  // checkout from them), and two checkouts may share one node_modules.
  const target = path.join(
    modules,
    '.cache',
    'modelbench-worker',
    `${sourceKey(root)}-${sha256(path.resolve(root)).slice(0, 8)}`,
  );
  try {
    verifyOrWrite(target, contents);
    return target;
  } catch {
    return undefined;
  }
}

/**
 * Where the process `name` of a build starts: this checkout's (or the bundle's), or a baseline checkout's at `root`.
 */
export async function processEntry(name: EntryName, root?: string): Promise<ProcessEntry> {
  if (BUNDLE && !root) return { file: path.join(ROOT, BUNDLED[name]), execArgv: [] };
  const checkout = root ?? ROOT;
  // A model module in TypeScript (MODELBENCH_MODELS) needs tsx's loader, which the prebuilt worker does not have.
  const typescriptModels = (process.env[MODEL_MODULES_ENV] ?? '')
    .split(path.delimiter)
    .some((f) => /\.[cm]?ts$/.test(f));
  if (process.env.MODELBENCH_WORKER_TSX !== '1' && !typescriptModels) {
    const dir = await prebuilt(checkout);
    if (dir) return { file: path.join(dir, `${name}.mjs`), execArgv: [] };
  }
  return {
    file: sourceIn(checkout, SOURCES[name]) ?? path.join(checkout, SOURCES[name][0]),
    execArgv: ['--import', import.meta.resolve('tsx')],
  };
}
