// The counted gate's calibration without valgrind: the worked twin's work is sized from the baseline's own counts,
// and the judging of finished pairs counts an A/A regression as a false alarm and a worked row as caught only when the
// counted gate calls it a regression (a change under the minimum effect is missed: the calibration can fail).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { calibrateCounted, parseWorkFractions, workSpecFor } from '../../../src/gate/calibration/calibrate-counted.js';
import { loadSuite } from '../../../src/timing/suite.js';
import { injectedWork, withInjectedWork } from '../../../src/timing/inject-work.js';
import type { Row } from '../../../src/types.js';
import { latencies, row, tmpDir, writeRun } from '../../helpers/runs.js';

function counted(workload: string, backend: string, cycles: number, spreadPct = 0.01): Row {
  return row(
    { workload, backend, estCyclesPerCall: cycles, instructionsPerCall: cycles * 0.8, countSpreadPct: spreadPct, countedCalls: 4, countedProcesses: 3 },
    latencies(1, 5, 1),
  );
}

const BASE = [counted('fit', 'cpu', 1e8), counted('predict', 'wasm', 2e6)];

/** A finished pair: the twin's and the worked twin's cycles as factors of the baseline's, row by row. */
function writePair(dir: string, twin: readonly number[], worked: readonly number[]): void {
  const spec = workSpecFor(BASE, parseWorkFractions('*=0.01'));
  writeRun(path.join(dir, 'baseline'), BASE, { options: { role: 'baseline' } });
  writeRun(path.join(dir, 'twin'), BASE.map((r, i) => ({ ...r, estCyclesPerCall: r.estCyclesPerCall! * twin[i] })), { options: { role: 'twin' } });
  const workedRows = BASE.map((r, i) => ({ ...r, estCyclesPerCall: r.estCyclesPerCall! * worked[i] }));
  writeRun(path.join(dir, 'worked'), workedRows, { options: { role: 'worked', injectWork: spec } });
}

const settings = (outDir: string) => ({ pairs: 2, suite: loadSuite('quick'), backends: ['cpu', 'wasm'], inject: '*=0.01', outDir, judgeOnly: true });

describe('counted calibration', () => {
  it("sizes each row's extra work from the baseline's own estimated cycles, and refuses a fraction that is not one", () => {
    assert.equal(workSpecFor(BASE, parseWorkFractions('*=0.01')), 'logreg/fit/rows=100;cols=3/cpu=1000000,logreg/predict/rows=100;cols=3/wasm=20000');
    assert.equal(workSpecFor(BASE, parseWorkFractions('*/wasm=0.02')), 'logreg/predict/rows=100;cols=3/wasm=40000');
    assert.throws(() => parseWorkFractions('*=1.5'), /a fraction between 0 and 1 \(e\.g\. '\*=0\.01'/);
    assert.throws(() => parseWorkFractions('0.01'), /GLOB=FRACTION/);
  });

  it('reads the injected work of a cell key, the last matching part winning, and leaves other calls untouched', () => {
    assert.equal(injectedWork('logreg/fit/rows=1;cols=2/cpu', '*=10,logreg/fit/*=20'), 20);
    assert.equal(injectedWork('svm/fit/rows=1;cols=2/cpu', '*/wasm=10'), 0);
    assert.throws(() => injectedWork('a/b/c/cpu', 'logreg/*'), /is not GLOB=CYCLES/);
  });

  it('runs the call, then the loop, whose iterations alone differ between a baseline and its worked twin', async () => {
    const order: string[] = [];
    const run = async () => void order.push('call');
    await withInjectedWork('a/b/c/cpu', run, '')();
    await withInjectedWork('a/b/c/cpu', run, '*=1000')();
    assert.deepEqual(order, ['call', 'call']);
    const spy = { calls: [] as number[] };
    const loop = (n: number, acc: number) => (spy.calls.push(n), acc);
    await withInjectedWork('a/b/c/cpu', run, '*=10000000000', loop)();
    await withInjectedWork('a/b/c/cpu', run, '', loop)();
    assert.deepEqual(spy.calls, [2 ** 30, 2142857143 - 2 ** 30, 0]);
  });

  it('counts a worked row caught when it regresses, and passes an identical A/A pair', async () => {
    const out = tmpDir();
    writePair(path.join(out, '1'), [1, 1], [1.01, 1.01]);
    writePair(path.join(out, '2'), [1.0001, 0.9999], [1.0098, 1.0102]);
    const said: string[] = [];
    const outcome = await calibrateCounted(settings(out), (l) => said.push(l));
    assert.equal(outcome.judged, 2);
    assert.equal(outcome.falseAlarmPairs, 0);
    assert.match(outcome.table.join('\n'), /\| logreg\/fit\/rows=100;cols=3\/cpu \| .* \| 2 of 2 \| 0 of 2 \|/);
    assert.match(fs.readFileSync(path.join(out, 'summary.txt'), 'utf8'), /pair 2: A\/A pass; worked: every worked row caught/);
  });

  it('reports an A/A regression as a false alarm and a worked row under the minimum effect as missed', async () => {
    const out = tmpDir();
    writePair(path.join(out, '1'), [1.02, 1], [1.003, 1.01]);
    const outcome = await calibrateCounted(settings(out), () => {});
    assert.equal(outcome.falseAlarmPairs, 1);
    const text = fs.readFileSync(path.join(out, 'summary.txt'), 'utf8');
    assert.match(text, /FALSE ALARM \(logreg\/fit\/rows=100;cols=3\/cpu \+2\.000%\)/);
    assert.match(text, /missed logreg\/fit\/rows=100;cols=3\/cpu \(no change, \+0\.300%\)/);
    assert.match(outcome.table.join('\n'), /\| logreg\/fit\/rows=100;cols=3\/cpu \| .* \| 0 of 1 \| 1 of 1 \|/);
  });
});
