import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { loadSuite } from '../../src/timing/suite.js';
import { RESULT_COLUMNS } from '../../src/results/columns.js';
import { modelbench, modelbenchAsync } from '../helpers/cli.js';
import { BREAST_CANCER, GOLDEN } from '../helpers/data.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-test-'));
const only = (dir: string) => path.join(dir, fs.readdirSync(dir)[0]);
const readCsv = (file: string) => parse(fs.readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];

describe('modelbench CLI', () => {
  it('backends --json lists every backend with its version and device, or its reason and fix', () => {
    const r = modelbench(['backends', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { name: string; available: boolean; version: string; device: string; reason: string; fix: string }[];
    assert.deepEqual(list.map((b) => b.name), ['cpu', 'wasm', 'webgpu', 'browser-wasm', 'browser-webgl', 'browser-webgpu', 'tensorflow', 'tensorflow-gpu']);
    for (const b of list) {
      if (b.available) assert.ok(b.version && b.device, `${b.name} lacks version or device`);
      else assert.ok(b.reason && b.fix, `${b.name} lacks reason or fix`);
    }
    assert.ok(list.find((b) => b.name === 'cpu')!.available);
    assert.ok(list.find((b) => b.name === 'wasm')!.available);
    const tfNode = list.find((b) => b.name === 'tensorflow-gpu')!;
    if (!tfNode.available) assert.match(tfNode.fix, /CUDA 11\.2.*cuDNN 8\.1/);
    // On a machine without a GPU, webgpu on llvmpipe says why no GPU was used and what to install.
    const webgpu = list.find((b) => b.name === 'webgpu') as unknown as { available: boolean; device_kind: string; details: Record<string, string> };
    if (webgpu.available && webgpu.device_kind === 'cpu') {
      assert.ok(webgpu.details.noGpuReason && webgpu.details.noGpuFix, JSON.stringify(webgpu.details));
      assert.match(modelbench(['backends']).stdout, /webgpu: available, but not on a GPU\n  reason: .+\n  fix: +.+/);
    }
    // A browser GPU backend on a software renderer (SwiftShader) is marked the same way.
    for (const b of list.filter((x) => x.name === 'browser-webgl' || x.name === 'browser-webgpu') as unknown as { available: boolean; device: string; device_kind: string; details: Record<string, string> }[]) {
      if (b.available && b.device_kind === 'cpu') {
        assert.match(b.device, /software renderer on the CPU, not a GPU/);
        assert.ok(b.details.noGpuReason && b.details.noGpuFix, JSON.stringify(b.details));
      }
    }
  });

  it('run --suite smoke writes results.csv, results.json, samples.csv and summary.txt', () => {
    const out = tmp();
    const r = modelbench(['run', '--suite', 'smoke', '--out', out, '--seed', '7']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const dir = only(out);
    const rows = readCsv(path.join(dir, 'results.csv'));
    assert.deepEqual(Object.keys(rows[0]), RESULT_COLUMNS.map(([name]) => name));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
    assert.equal(json.rows.length, rows.length);
    assert.equal(json.context.baseSeed, 7);
    const cells = loadSuite('smoke').cells.length;
    for (const backend of ['cpu', 'wasm']) {
      const mine = rows.filter((x) => x.backend === backend);
      assert.equal(mine.length, cells);
      for (const row of mine) {
        assert.equal(row.status, 'ok', row.error);
        assert.equal(row.check, 'pass');
        assert.ok(Math.abs(Number(row.rel_error)) <= Number(row.tolerance));
      }
    }
    // Every backend that is available must agree with the oracle; the rest say why not.
    for (const row of rows.filter((x) => !x.backend.startsWith('impl:'))) {
      assert.ok(row.status === 'ok' || row.status === 'unavailable', `${row.backend}: ${row.status} ${row.error}`);
      if (row.status === 'unavailable') assert.match(row.error, /fix:/);
    }
    const samples = readCsv(path.join(dir, 'samples.csv'));
    assert.equal(samples.length, rows.reduce((n, x) => n + Number(x.samples), 0));
    assert.match(fs.readFileSync(path.join(dir, 'summary.txt'), 'utf8'), /verdict: VALID/);
  });

  it('names the valid choices for an unknown backend, model or suite', () => {
    const b = modelbench(['run', '--backends', 'cpu,tpu']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /unknown backend 'tpu'; valid backends: cpu, wasm, webgpu, browser-wasm, browser-webgl, browser-webgpu, tensorflow, tensorflow-gpu/);
    const m = modelbench(['run', '--models', 'rf']);
    assert.equal(m.code, 2);
    assert.match(m.stderr, /unknown model 'rf'; valid models: logreg/);
    const s = modelbench(['run', '--suite', 'huge']);
    assert.equal(s.code, 2);
    assert.match(s.stderr, /unknown suite 'huge'; valid suites: .*quick/);
  });

  it('fit --json reaches the breast-cancer optimum and reports the oracle gradient', () => {
    const r = modelbench(['fit', '--model', 'logreg', '--data', BREAST_CANCER, '--C', '1', '--backend', 'cpu', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    for (const key of ['model', 'backend', 'objective', 'log_loss', 'weights', 'bias', 'gradient_norm', 'iterations', 'converged']) assert.ok(key in out, key);
    assert.equal(out.weights.length, 30);
    assert.ok(Math.abs(out.objective - GOLDEN.logreg.objective) / GOLDEN.logreg.objective <= 1e-6);
    assert.ok(out.gradient_norm < 1e-6 * 569);
    assert.equal(out.converged, true);
  });

  it('fit --model svm --json prints the certificate of the solution', () => {
    const r = modelbench(['fit', '--model', 'svm', '--data', BREAST_CANCER, '--C', '1', '--kernel', 'linear', '--backend', 'wasm', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    for (const key of ['objective', 'dual_objective', 'duality_gap', 'bias', 'weights', 'n_support', 'n_bounded', 'margin_violations', 'kkt_violation', 'converged']) assert.ok(key in out, key);
    assert.equal(out.n_support, 40);
    assert.ok(Math.abs(out.objective - 26.52724) / 26.52724 <= 1e-4);
    assert.ok(out.duality_gap >= 0 && out.duality_gap / out.objective <= 1e-5);
    const bad = modelbench(['fit', '--model', 'svm', '--data', BREAST_CANCER, '--kernel', 'poly']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--kernel must be linear or rbf, got 'poly'/);
  });

  it('fit refuses a malformed CSV with the line and column', () => {
    const file = path.join(tmp(), 'bad.csv');
    fs.writeFileSync(file, 'a,b,label\n1,2,0\n3,x,1\n');
    const r = modelbench(['fit', '--model', 'logreg', '--data', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.csv: line 3, column 'b': 'x' is not a number/);
  });

  it('fit refuses an option the model does not have', () => {
    const r = modelbench(['fit', '--model', 'logreg', '--data', BREAST_CANCER, '--kernel', 'rbf']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--kernel is not an option of logreg; its options: --C, --tol, --max-iter/);
  });

  it('run --interleave refuses a folder that is not a modelbench checkout', () => {
    const r = modelbench(['run', '--suite', 'smoke', '--interleave', tmp()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no src\/bench\/worker\.ts there/);
  });

  it('a run killed half-way leaves every finished row readable', async () => {
    const out = tmp();
    const child = modelbenchAsync(['run', '--suite', 'smoke', '--backends', 'cpu,wasm', '--skip-peers', '--out', out]);
    const csvPath = () => (fs.readdirSync(out).length ? path.join(only(out), 'results.csv') : '');
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const f = csvPath();
      if (f && fs.existsSync(f) && readCsv(f).length >= 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const rows = readCsv(csvPath());
    assert.ok(rows.length >= 2 && rows.length < 2 * loadSuite('smoke').cells.length, `expected a partial run, got ${rows.length} rows`);
    for (const row of rows) assert.equal(row.status, 'ok');
    const json = JSON.parse(fs.readFileSync(path.join(only(out), 'results.json'), 'utf8'));
    assert.ok(json.rows.length >= rows.length, 'results.json lags results.csv');
  });
});
