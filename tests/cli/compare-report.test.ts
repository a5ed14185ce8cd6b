import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { modelbench } from '../helpers/cli.js';
import { latencies, row, tmpDir, writeRun } from '../helpers/runs.js';

function pairOfRuns(slowdown = 1) {
  const dir = tmpDir();
  const base = writeRun(dir, [row({ workload: 'predict', backend: 'wasm' }, latencies(1, 200, 1)), row({ workload: 'fit', backend: 'cpu' }, latencies(50, 30, 2))]);
  const cand = writeRun(dir, [row({ workload: 'predict', backend: 'wasm' }, latencies(slowdown, 200, 3)), row({ workload: 'fit', backend: 'cpu' }, latencies(50, 30, 4))], { host: 'other-host' });
  return { dir, base, cand };
}

describe('modelbench compare (CLI)', () => {
  it('exits 0 without a regression and shows the environment difference first', () => {
    const { base, cand } = pairOfRuns();
    const r = modelbench(['compare', base, cand]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.split('\n')[0], /Environment differs/);
    assert.match(r.stdout, /host\s+\S+\s+other-host/);
    assert.match(r.stdout, /PASS: no speed regression, no quality failure/);
  });

  it('exits 1 on a 15% slowdown, in every format', () => {
    const { base, cand, dir } = pairOfRuns(1.15);
    assert.equal(modelbench(['compare', base, cand]).code, 1);
    const md = modelbench(['compare', base, cand, '--format', 'markdown']);
    assert.equal(md.code, 1);
    assert.match(md.stdout, /^## modelbench compare: FAIL/);
    assert.match(md.stdout, /❌ regression/);
    const json = JSON.parse(modelbench(['compare', base, cand, '--format', 'json']).stdout);
    assert.equal(json.verdict, 'fail');
    assert.equal(json.regressions, 1);
    const out = path.join(dir, 'bench.json');
    modelbench(['compare', base, cand, '--format', 'github-benchmark', '--output', out]);
    const entries = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.ok(entries.every((e: { name: string; unit: string; value: number }) => e.name && e.unit === 'ms' && e.value > 0));
  });

  it('a config file can raise the minimum effect so the same change passes', () => {
    const { base, cand, dir } = pairOfRuns(1.15);
    const config = path.join(dir, 'gate.json');
    fs.writeFileSync(config, JSON.stringify({ minEffect: 0.05, overrides: [{ match: 'logreg/predict/*', minEffect: 0.3 }] }));
    assert.equal(modelbench(['compare', base, cand, '--config', config]).code, 0);
    assert.equal(modelbench(['compare', base, cand, '--override', 'logreg/predict/*=0.3']).code, 0);
  });

  it('exits 2 with a clear message on unusable input', () => {
    const { base, cand, dir } = pairOfRuns();
    const missing = modelbench(['compare', path.join(dir, 'nope'), cand]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope: not found/);
    const json = JSON.parse(fs.readFileSync(path.join(base, 'results.json'), 'utf8'));
    json.context.formatVersion = 99;
    fs.writeFileSync(path.join(base, 'results.json'), JSON.stringify(json));
    const old = modelbench(['compare', base, cand]);
    assert.equal(old.code, 2);
    assert.match(old.stderr, /results format version 99, this modelbench reads version 1/);
    fs.writeFileSync(path.join(cand, 'samples.csv'), 'run_id,model\nx,logreg\n');
    const cols = modelbench(['compare', cand, cand]);
    assert.equal(cols.code, 2);
    assert.match(cols.stderr, /samples\.csv: missing column\(s\) workload, size, backend, sample_index, ms/);
  });
});

describe('modelbench report (CLI)', () => {
  it('merges runs from two machines into one self-contained HTML with charts, speed-ups and checks', () => {
    const { base, cand, dir } = pairOfRuns(1.5);
    const out = path.join(dir, 'report.html');
    const r = modelbench(['report', base, cand, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const html = fs.readFileSync(out, 'utf8');
    assert.equal((html.match(/<svg/g) ?? []).length, 2, 'one chart per model/workload/size');
    assert.match(html, /other-host/);
    assert.match(html, /0\.6[4-9]\dx/, 'speed-up of the 1.5x slower machine');
    assert.match(html, /class="pass">pass/);
    assert.doesNotMatch(html, /<script|<link|src="http/i, 'no external resources');
  });

  it('writes the merged long table as CSV, one row per (machine, run, row)', () => {
    const { base, cand, dir } = pairOfRuns();
    const out = path.join(dir, 'merged.csv');
    assert.equal(modelbench(['report', base, cand, '--out', out, '--format', 'csv']).code, 0);
    const rows = parse(fs.readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 4);
    assert.equal(Object.keys(rows[0])[0], 'machine');
    assert.equal(new Set(rows.map((x) => x.machine)).size, 2);
  });

  it('refuses a baseline machine that is not in the runs', () => {
    const { base, cand, dir } = pairOfRuns();
    const r = modelbench(['report', base, cand, '--out', path.join(dir, 'r.html'), '--baseline-machine', 'nowhere']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not among the machines/);
  });
});
