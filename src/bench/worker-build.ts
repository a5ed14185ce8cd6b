// How a cell's process is started. Through tsx, every process spends about a second more than plain
// Node: its loader hooks sit in front of each of tfjs's hundreds of modules, and our sources are
// transpiled again. So a checkout's worker and browser host are built once with esbuild (our
// sources in one ES module, every package left to Node) into node_modules/.cache, keyed by the
// sources, and forked with plain Node; where esbuild cannot build them, tsx runs the sources.
// The portable bundle carries its own prebuilt CommonJS files.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE, ROOT } from '../layout.js';
import { sourceKey } from '../source-key.js';

export interface ProcessEntry {
  readonly file: string;
  readonly execArgv: readonly string[];
}

export type EntryName = 'worker' | 'browser-host';

const SOURCES: Record<EntryName, string> = { worker: 'src/bench/worker.ts', 'browser-host': 'src/browser/host.ts' };
const BUNDLED: Record<EntryName, string> = { worker: 'worker.cjs', 'browser-host': 'browser-host.cjs' };

/** Each source file keeps its own import.meta.url (layout.ts finds the checkout from it). */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build: import('esbuild').PluginBuild) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: fs.readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

async function build(root: string, dir: string): Promise<void> {
  const esbuild = await import('esbuild');
  // Built beside and renamed into place: two runs building at once both end with a whole folder.
  const tmp = `${dir}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(SOURCES).map(([name, src]) => [name, path.join(root, src)])),
    outdir: tmp,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // Packages stay imports that Node resolves from the checkout's node_modules, as under tsx.
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'esm',
    plugins: [ownImportMetaUrl],
    logLevel: 'silent',
  });
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const built = new Map<string, Promise<string | undefined>>();

/** The folder with the prebuilt entries of the checkout at `root`, built if need be; undefined when esbuild cannot. */
function prebuilt(root: string): Promise<string | undefined> {
  let dir = built.get(root);
  if (!dir) {
    dir = (async () => {
      const modules = path.join(root, 'node_modules');
      if (!fs.existsSync(modules)) return undefined;
      // Keyed by the checkout's path too: the build carries its sources' paths (layout.ts finds the
      // checkout from them), and two checkouts may share one node_modules.
      const target = path.join(modules, '.cache', 'modelbench-worker', `${sourceKey(root)}-${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 8)}`);
      if (fs.existsSync(path.join(target, 'worker.mjs'))) return target;
      try {
        await build(root, target);
        return target;
      } catch {
        return undefined;
      }
    })();
    built.set(root, dir);
  }
  return dir;
}

/** Where the process `name` of a build starts: this checkout's (or the bundle's), or a baseline checkout's at `root`. */
export async function processEntry(name: EntryName, root?: string): Promise<ProcessEntry> {
  if (BUNDLE && !root) return { file: path.join(ROOT, BUNDLED[name]), execArgv: [] };
  const checkout = root ?? ROOT;
  if (process.env.MODELBENCH_WORKER_TSX !== '1') {
    const dir = await prebuilt(checkout);
    if (dir) return { file: path.join(dir, `${name}.mjs`), execArgv: [] };
  }
  return { file: path.join(checkout, SOURCES[name]), execArgv: ['--import', import.meta.resolve('tsx')] };
}
