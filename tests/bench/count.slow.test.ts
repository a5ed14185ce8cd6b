// Counted measurement end to end under valgrind (slow tier: each counted process starts Node and
// tfjs under callgrind, its region of calls instrumented): `run --measure instructions` counts a cpu row, says why a
// webgpu row is not counted, and `compare` of the run against itself passes its counted gate.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import type { CountedComparison } from '../../src/gate/counted-gate.js';
import { modelbench } from '../helpers/cli.js';
import { tmpDir } from '../helpers/runs.js';
import { skipWithoutValgrind } from '../helpers/valgrind.js';

describe('run --measure instructions', () => {
  skipWithoutValgrind();

  // A fixed span: a span sized from the native probe's clock flipped 32 -> 64 on a busy machine, and counts compare
  // only over equal spans.
  it('counts instructions per call on cpu with a spread under 1%; the counted gate passes the run against itself and fails 1% more work', () => {
    const dir = tmpDir();
    const suite = path.join(dir, 'suite.json');
    const timing = { timeMs: 50, minIterations: 3, warmupIterations: 1, maxCellSeconds: 5 };
    fs.writeFileSync(suite, JSON.stringify({ name: 'counted', description: 'one small cell', timing, cells: [{ model: 'logreg', workload: 'predict', sizes: [{ rows: 500, cols: 5 }], countSpan: { cpu: 32 } }] }));
    const out = path.join(dir, 'out');
    const r = modelbench(['run', '--suite', suite, '--backends', 'cpu,webgpu', '--measure', 'instructions', '--out', out], { timeoutMs: 900_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /counted \(valgrind: callgrind's regions/);
    const [run] = fs.readdirSync(out);
    const rows = (JSON.parse(fs.readFileSync(path.join(out, run, 'results.json'), 'utf8')) as { rows: Record<string, unknown>[] }).rows;
    const cpu = rows.find((x) => x.backend === 'cpu')!;
    assert.equal(cpu.check, 'pass');
    assert.ok((cpu.instructionsPerCall as number) > 1e4, String(cpu.instructionsPerCall));
    assert.ok((cpu.countSpreadPct as number) < 1, `spread ${String(cpu.countSpreadPct)}%`);
    assert.equal(cpu.countedProcesses, 3);
    assert.match(String(rows.find((x) => x.backend === 'webgpu')!.countNote), /not counted/);
    const gate = modelbench(['compare', path.join(out, run), path.join(out, run)]);
    assert.equal(gate.code, 0, gate.stdout + gate.stderr);
    assert.match(gate.stdout, /PASS \(counted rows\)/);
    // 1% of the row's own estimated cycles of real computation inside each counted call: the counted gate fails it. The
    // extra loop is WebAssembly, whose cost per iteration does not depend on the process (0.996-1.034% on 7 of the 8
    // rows of a calibration pair, 1.388% on the eighth, whose own instructions rose as well).
    const key = `${String(cpu.model)}/${String(cpu.workload)}/${String(cpu.size)}/cpu`;
    const work = `${key}=${Math.round(0.01 * (cpu.estCyclesPerCall as number))}`;
    const workedOut = path.join(dir, 'worked');
    const args = ['run', '--suite', suite, '--backends', 'cpu,webgpu', '--measure', 'instructions', '--out', workedOut];
    const worked = modelbench(args, { timeoutMs: 900_000, env: { MODELBENCH_INJECT_WORK: work } });
    assert.equal(worked.code, 0, worked.stderr + worked.stdout);
    const workedRun = path.join(workedOut, fs.readdirSync(workedOut)[0]);
    const caught = modelbench(['compare', path.join(out, run), workedRun, '--format', 'json']);
    assert.equal(caught.code, 1, caught.stdout + caught.stderr);
    const verdict = (JSON.parse(caught.stdout) as { counted: CountedComparison }).counted.rows.find((x) => x.key === key)!;
    assert.equal(verdict.verdict, 'regression');
    assert.ok(verdict.change! > 0.009 && verdict.change! < 0.015, `the worked row changed by ${verdict.change}`);
    assert.match(modelbench(['compare', path.join(out, run), workedRun]).stdout, /injected work/);
  });

  it('calibrates the counted gate: an A/A pair passes and 1% more work, sized from the baseline, is caught', () => {
    const dir = tmpDir();
    const suite = path.join(dir, 'suite.json');
    const timing = { timeMs: 50, minIterations: 3, warmupIterations: 1, maxCellSeconds: 5 };
    const cells = [{ model: 'logreg', workload: 'predict', sizes: [{ rows: 500, cols: 5 }], countSpan: { cpu: 8 } }];
    fs.writeFileSync(suite, JSON.stringify({ name: 'counted-calibration', description: 'one small cell', timing, cells }));
    const out = path.join(dir, 'calibration');
    const args = ['calibrate', '--measure', 'instructions', '--suite', suite, '--backends', 'cpu', '--pairs', '1'];
    const r = modelbench([...args, '--out', out], { timeoutMs: 1_200_000 });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /pair 1: A\/A pass; worked: every worked row caught/);
    assert.match(r.stdout, /A\/A false alarms \(any row\) 0 of 1 pairs/);
    const rows = (JSON.parse(fs.readFileSync(path.join(out, 'rows.json'), 'utf8')) as { rows: Record<string, { caught: number; workedChanges: number[] }> }).rows;
    const row = rows['logreg/predict/rows=500;cols=5/cpu'];
    assert.equal(row.caught, 1);
    assert.ok(row.workedChanges[0] > 0.005 && row.workedChanges[0] < 0.015, String(row.workedChanges[0]));
  });
});
