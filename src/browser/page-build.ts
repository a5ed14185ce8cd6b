// Builds the page the browser backends run in (esbuild): the same cell code as the Node worker
// (src/timing/serve-cells.ts and everything below it) for the browser, with Node's built-in modules
// replaced by the shims in ./shims, or by stand-ins that throw when a page calls them (the modules a
// cell never uses in a page, such as child_process for the peers). Writes page.js, index.html and the
// tfjs .wasm files into one folder, which the browser host serves.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedVersion } from '../backends/versions.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHIMMED = new Set(['fs', 'path', 'os', 'url']);
/** Packages whose versions a page reports (its rows' backend_version). */
export const PAGE_PACKAGES = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-webgl',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgpu',
  'tinybench',
] as const;

export const PAGE_HTML =
  '<!doctype html><meta charset="utf-8"><title>modelbench ' +
  'cell</title><link rel="icon" href="data:,"><script type="module" ' +
  'src="/page.js"></script>\n';

async function throwingStandIn(name: string): Promise<string> {
  const real = (await import(`node:${name}`)) as Record<string, unknown>;
  const names = Object.keys(real).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
  const lines = [
    `const unavailable = (what) => () => { throw new Error(\`node:${name}` +
      ` \${what} is not available in a browser page\`); };`,
  ];
  for (const k of names) lines.push(`export const ${k} = unavailable(${JSON.stringify(k)});`);
  lines.push(`export default new Proxy({}, { get: (_, k) => unavailable(String(k)) });`);
  return lines.join('\n');
}

/** esbuild's plugin: node:NAME and bare NAME (built-ins only) to a shim or a stand-in. */
const nodeBuiltins = {
  name: 'node-builtins-for-the-page',
  setup(build: import('esbuild').PluginBuild) {
    const builtins = new Set(builtinModules.filter((m) => !m.startsWith('_')));
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (!args.path.startsWith('node:') && !builtins.has(name)) return undefined;
      if (SHIMMED.has(name)) return { path: path.join(HERE, 'shims', `${name}.ts`) };
      return { path: name, namespace: 'node-stand-in' };
    });
    build.onLoad({ filter: /.*/, namespace: 'node-stand-in' }, async (args) => ({
      contents: await throwingStandIn(args.path),
      loader: 'js',
    }));
  },
};

/** csv-parse and csv-stringify reach for Node's Buffer; their dist/esm builds carry their own. */
const csvForTheBrowser = {
  name: 'csv-for-the-browser',
  setup(build: import('esbuild').PluginBuild) {
    build.onResolve({ filter: /^csv-(parse|stringify)\/sync$/ }, (args) => {
      // Their `exports` do not list dist/: find it beside the module Node resolves (lib/sync.js).
      const lib = path.dirname(fileURLToPath(import.meta.resolve(args.path)));
      return { path: path.join(lib, '..', 'dist/esm/sync.js') };
    });
  },
};

export async function buildPage(outDir: string): Promise<void> {
  const esbuild = await import('esbuild');
  const versions = Object.fromEntries(PAGE_PACKAGES.map((p) => [p, installedVersion(p) ?? 'unknown']));
  fs.mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: { page: path.join(HERE, 'page.ts') },
    outdir: outDir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    // The page is a "bundle" to the shared layout code: its ROOT is the server's root, and package
    // versions come from here, as the portable bundle carries them.
    define: { MODELBENCH_BUNDLE: JSON.stringify({ commit: 'page', dirty: false, versions }) },
    inject: [path.join(HERE, 'shims/process.ts')],
    plugins: [nodeBuiltins, csvForTheBrowser],
    logLevel: 'error',
    legalComments: 'linked',
  });
  fs.writeFileSync(path.join(outDir, 'index.html'), PAGE_HTML);
  const wasmDir = path.join(path.dirname(fileURLToPath(import.meta.resolve('@tensorflow/tfjs-backend-wasm'))), '..');
  const dist = fs.existsSync(path.join(wasmDir, 'tfjs-backend-wasm.wasm')) ? wasmDir : path.join(wasmDir, 'dist');
  fs.mkdirSync(path.join(outDir, 'wasm'), { recursive: true });
  for (const f of fs.readdirSync(dist).filter((f) => f.endsWith('.wasm')))
    fs.copyFileSync(path.join(dist, f), path.join(outDir, 'wasm', f));
}
