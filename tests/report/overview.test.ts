// The report's overview (issue 34): every testbed x backend a column, ratios to one baseline column with
// a bootstrap interval that holds the true ratio, failed checks marked, the geometric mean over the cells
// both columns ran, testbeds never averaged together, and pre-testbed runs kept apart under their name.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, it } from 'vitest';
import { executeReport, REPORT_COMMAND } from '../../src/cli/report.js';
import { parseCommand } from '../../src/cli/options.js';
import { loadSide } from '../../src/results/load-runs.js';
import { mergeRuns } from '../../src/results/merge.js';
import { buildOverview } from '../../src/present/overview.js';
import { latencies, row, tmpDir } from '../helpers/runs.js';
import { AVX512, BASE_FLAGS, fleetSpeed, fleetTestbed, testbed, writeFastRun, writeFleet } from './synthetic-testbeds.js';

async function report(args: string[]) {
  const { values, positionals } = parseCommand(REPORT_COMMAND, args);
  return executeReport(values, positionals);
}

const overviewOf = (dir: string, machine?: string, backend?: string) =>
  buildOverview(mergeRuns(loadSide(dir, { allowIncomplete: true, allowMixed: true })), { machine, backend });

describe('the overview', () => {
  it('40 runs of 4 testbeds: 8 columns, ratios within their intervals, geometric means, a small HTML', async () => {
    const dir = tmpDir();
    writeFleet(dir, { testbeds: 4, runsPerTestbed: 10 });
    const o = overviewOf(dir);
    const expected = [0, 1, 2, 3].flatMap((t) => [`${fleetTestbed(t).id}/cpu`, `${fleetTestbed(t).id}/wasm`]);
    assert.deepEqual(o.columns.map((c) => `${c.testbed}/${c.backend}`), expected);
    assert.equal(o.baseline, 0);
    assert.equal(o.rows.length, 4);
    assert.deepEqual(o.unavailable.map((c) => c.backend), ['webgpu', 'webgpu', 'webgpu', 'webgpu'], 'unavailable everywhere: no column');
    o.columns.forEach((c, j) => {
      const t = o.columns.findIndex((x) => x.testbed === c.testbed) / 2;
      const truth = fleetSpeed(t) * (c.backend === 'wasm' ? 3 : 1);
      for (const r of o.rows) {
        const cell = r.cells[j];
        assert.equal(cell.samples, 300);
        assert.equal(cell.runs, 10);
        assert.ok(Math.abs(cell.ratio! / truth - 1) < 0.02, `${r.label} ${c.series}/${c.backend}: ${cell.ratio} vs ${truth}`);
        if (j > 0) assert.ok(cell.low! < cell.ratio! && cell.ratio! < cell.high! && cell.high! / cell.low! < 1.05, `${cell.low}-${cell.high}`);
      }
      assert.equal(o.geomean[j].cells, 4);
      assert.ok(Math.abs(o.geomean[j].ratio! / truth - 1) < 0.02);
    });
    // The same runs again give the same intervals (seeded).
    assert.deepEqual(overviewOf(dir).rows, o.rows);
    const out = path.join(dir, '..', `${path.basename(dir)}.html`);
    const outcome = await report([dir, '--out', out]);
    assert.equal(outcome.code, 0, outcome.error);
    assert.ok(fs.statSync(out).size < 2_000_000, `${fs.statSync(out).size} bytes`);
  });

  it('a baseline machine and backend by name; the geometric mean only over cells both columns ran; failed checks marked', async () => {
    const dir = tmpDir();
    const plain = testbed();
    const wide = testbed({ flags: [...BASE_FLAGS, ...AVX512] });
    const cells = [['fit', 10], ['predict', 1]] as const;
    const both = (w: string, ms: number, i: number) => [
      row({ workload: w, backend: 'cpu' }, latencies(ms, 40, i)),
      row({ workload: w, backend: 'wasm' }, latencies(ms / 2, 40, 10 + i)),
    ];
    writeFastRun(dir, cells.flatMap(([w, ms], i) => both(w, ms, i)), { testbed: plain, host: 'vm' });
    // The AVX-512 machine: twice as fast, a failed check on predict/wasm, and a cell only it ran.
    writeFastRun(dir, [
      row({ workload: 'fit', backend: 'cpu' }, latencies(5, 40, 20)),
      row({ workload: 'predict', backend: 'wasm', status: 'check-failed', check: 'fail', error: 'J off by 1%' }, latencies(0.25, 40, 21)),
      row({ workload: 'fit-from-host', backend: 'wasm' }, latencies(3, 40, 22)),
    ], { testbed: wide, host: 'vm' });
    const o = overviewOf(dir, wide.id, 'wasm');
    assert.equal(o.columns.length, 4, 'two testbeds of one host name: never one column');
    assert.deepEqual(o.columns[o.baseline], { series: wide.id, testbed: wide.id, backend: 'wasm' });
    const predict = o.rows.find((r) => r.workload === 'predict')!;
    const j = o.columns.findIndex((c) => c.testbed === plain.id && c.backend === 'wasm');
    assert.ok(Math.abs(predict.cells[j].ratio! - 0.5) < 0.02, String(predict.cells[j].ratio));
    assert.ok(predict.cells[o.baseline].checkFailed);
    // plain/wasm and wide/wasm both ran predict only (fit-from-host is wide's alone, fit not on wide/wasm).
    assert.equal(o.geomean[j].cells, 1);
    const out = path.join(dir, 'r.html');
    const csv = path.join(dir, 'o.csv');
    const json = path.join(dir, 'o.json');
    const files = ['--out', out, '--overview-csv', csv, '--overview-json', json];
    assert.equal((await report([dir, ...files, '--baseline-machine', wide.id, '--baseline-backend', 'wasm'])).code, 0);
    const lines = parse(fs.readFileSync(csv, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.equal(lines.length, o.rows.length * o.columns.length);
    assert.deepEqual(lines.filter((l) => l.check_failed === 'true').map((l) => `${l.workload}/${l.testbed}/${l.backend}`), [`predict/${wide.id}/wasm`]);
    const doc = JSON.parse(fs.readFileSync(json, 'utf8'));
    assert.deepEqual(doc.baseline, { series: wide.id, testbed: wide.id, backend: 'wasm' });
    assert.equal(doc.columns[j].geomeanCells, 1);
    assert.match(fs.readFileSync(out, 'utf8'), /class="failed"[^>]*>.*\u2717 check failed/);
  });

  it('a pre-testbed run is a series of its own, named so, with the fields it has', async () => {
    const dir = tmpDir();
    writeFastRun(dir, [row({ workload: 'fit', backend: 'cpu' }, latencies(10, 30, 1))], { testbed: undefined, host: 'vm' });
    writeFastRun(dir, [row({ workload: 'fit', backend: 'cpu' }, latencies(10, 30, 2))], { testbed: testbed(), host: 'vm' });
    const o = overviewOf(dir);
    assert.equal(o.columns.length, 2);
    assert.match(o.columns[0].series, /^unknown \(pre-testbed run\): vm \(.* x\d+\)$/);
    const out = path.join(dir, 'r.html');
    assert.equal((await report([dir, '--out', out])).code, 0);
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, /<b>unknown \(pre-testbed run\): vm/);
    assert.match(html, /not recorded/);
  });

  it('each unavailable backend is listed once per testbed, with its reason and fix, not on every row', async () => {
    const dir = tmpDir();
    writeFleet(dir, { testbeds: 2, runsPerTestbed: 3, samples: 5 });
    const out = path.join(dir, 'r.html');
    assert.equal((await report([dir, '--out', out])).code, 0);
    const html = fs.readFileSync(out, 'utf8');
    assert.equal(html.match(/no GPU adapter here \(llvmpipe only\)/g)?.length, 2);
    assert.equal(html.match(/run on a machine with a GPU and its Vulkan driver/g)?.length, 2);
    // The overview comes first, the per-model sections are folded.
    assert.ok(html.indexOf('id="overview"') < html.indexOf('<h2>Testbeds'));
    assert.equal(html.match(/<details><summary>/g)?.length, 1 + 3, 'the runs table and three models');
    assert.doesNotMatch(html, /<script|<link|src="http/i);
  });
});
