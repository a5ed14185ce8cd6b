// The portable bundle and the GPU check script, exercised up to the point that needs a GPU: build the
// bundle, run it with plain Node (no tsx, no node_modules beside it), and run gpu-check.sh on it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { findChromium } from '../../src/browser/chromium.js';
import { REPO } from '../helpers/data.js';

describe('npm run bundle and scripts/gpu-check.sh', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
  const bundle = path.join(dir, 'modelbench-linux-x64');

  it('builds a folder that runs from anywhere with plain Node', () => {
    const build = spawnSync(process.execPath, [path.join(REPO, 'scripts/bundle.mjs'), '--out', bundle], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    for (const f of ['modelbench', 'modelbench.cjs', 'worker.cjs', 'tfjs-backend-wasm-simd.wasm', 'node_modules/webgpu/dist/linux-x64/dawn.node', 'suites/quick.json', 'fixtures/fashion-mnist/t10k-images-idx3-ubyte.gz', 'implementations/pytorch_models.py', 'implementations/modelbench_protocol.py', 'gpu-check.sh', 'browser-host.cjs', 'browser/page.js', 'browser/wasm/tfjs-backend-wasm-threaded-simd.wasm', 'node_modules/playwright-core/package.json']) {
      assert.ok(fs.existsSync(path.join(bundle, f)), `${f} is in the bundle`);
    }
    const r = spawnSync(path.join(bundle, 'modelbench'), ['backends', '--json'], { cwd: os.tmpdir(), encoding: 'utf8', env: { ...process.env, CI: '1' } });
    assert.equal(r.status, 0, r.stderr);
    const wasm = (JSON.parse(r.stdout) as { name: string; available: boolean; version: string }[]).find((b) => b.name === 'wasm')!;
    assert.ok(wasm.available);
    assert.match(wasm.version, /^4\.\d+\.\d+$/, 'versions are carried into the bundle');
    // The browser backends start from the bundle too (its prebuilt page, its playwright-core), given a Chromium.
    const browserWasm = (JSON.parse(r.stdout) as { name: string; available: boolean; version: string; reason: string }[]).find((b) => b.name === 'browser-wasm')!;
    if ('path' in findChromium()) assert.ok(browserWasm.available, browserWasm.reason);
    else assert.match(browserWasm.reason, /no Chromium found/);
    // The history store's native DuckDB travels with the bundle.
    const store = path.join(dir, 'history.duckdb');
    const run = path.join(REPO, 'results/baselines/2026-11-29T07-57-00-703Z-quick-39d7048');
    const add = spawnSync(path.join(bundle, 'modelbench'), ['history', 'add', '--store', store, run], { cwd: os.tmpdir(), encoding: 'utf8' });
    assert.equal(add.status, 0, add.stderr);
    const q = spawnSync(path.join(bundle, 'modelbench'), ['history', 'query', '--store', store, '--format', 'csv', 'SELECT count(*) AS n FROM runs'], { cwd: os.tmpdir(), encoding: 'utf8' });
    assert.equal(q.status, 0, q.stderr);
    assert.match(q.stdout, /^n\n1\n/);
  });

  it('gpu-check.sh runs a suite and the matMul ceiling through the bundle and writes results', () => {
    const out = path.join(dir, 'results');
    const r = spawnSync('sh', [path.join(REPO, 'scripts/gpu-check.sh'), bundle, out], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
      env: { ...process.env, CI: '1', GPU_CHECK_SUITES: 'smoke', GPU_CHECK_BACKENDS: 'wasm', GPU_CHECK_MATMUL_SIZES: '32,64' },
      timeout: 240_000,
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /VALID: every check passed/);
    const entries = fs.readdirSync(out);
    const run = entries.find((e) => /-smoke-/.test(e));
    assert.ok(run, `a smoke run folder in ${entries.join(', ')}`);
    const csv = fs.readFileSync(path.join(out, run!, 'results.csv'), 'utf8');
    assert.match(csv.split('\n')[1], /wasm/);
    assert.ok(entries.some((e) => /matmul-wasm\.csv$/.test(e)));
  });

  it('gpu-check.sh says how to build a bundle when given none', () => {
    const r = spawnSync('sh', [path.join(REPO, 'scripts/gpu-check.sh'), path.join(dir, 'nothing-here')], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /npm run bundle -- --with-node --archive/);
  });
});
