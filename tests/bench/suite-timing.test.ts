import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { cellTiming, listSuites, loadSuite } from '../../src/timing/suite.js';
import type { RunContext } from '../../src/results/context.js';
import { measuredDetectableLines } from '../../src/present/summary.js';
import { modelbench } from '../helpers/cli.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-suite-'));
const write = (suite: unknown) => {
  const file = path.join(tmp(), 'suite.json');
  fs.writeFileSync(file, JSON.stringify(suite));
  return file;
};
const TIMING = { timeMs: 250, minIterations: 5, warmupIterations: 1, maxCellSeconds: 10 };

describe('a suite cell with its own timing', () => {
  it('runs under its own fields over the suite\'s, and the other cells under the suite\'s', () => {
    const file = write({
      name: 't',
      description: 'd',
      timing: TIMING,
      cells: [
        { model: 'logreg', workload: 'fit', sizes: [{ rows: 100, cols: 3 }, { rows: 200, cols: 3 }], timing: { timeMs: 2000, minIterations: 30 } },
        { model: 'logreg', workload: 'predict', sizes: [{ rows: 100, cols: 3 }] },
      ],
    });
    const suite = loadSuite(file);
    assert.deepEqual(suite.cells.map((c) => cellTiming(suite.timing, c)), [
      { ...TIMING, timeMs: 2000, minIterations: 30 },
      { ...TIMING, timeMs: 2000, minIterations: 30 },
      TIMING,
    ]);
  });

  it('refuses unknown, negative or non-numeric timing fields, naming the file, the cell and the field', () => {
    const bad = (cellTimingValue: unknown) => write({ name: 't', description: 'd', timing: TIMING, cells: [{ model: 'logreg', workload: 'fit', sizes: [{ rows: 10, cols: 2 }], timing: cellTimingValue }] });
    let file = bad({ timeMs: -1 });
    assert.throws(() => loadSuite(file), new RegExp(`${file}: cell logreg/fit: "timing.timeMs" is -1; it must be a non-negative number`));
    file = bad({ samples: 30 });
    assert.throws(() => loadSuite(file), /cell logreg\/fit: "timing" has unknown field 'samples'; fields: timeMs, minIterations, warmupIterations, maxCellSeconds/);
    file = bad({ minIterations: '30' });
    assert.throws(() => loadSuite(file), /"timing.minIterations" is "30"/);
    file = write({ name: 't', description: 'd', timing: { timeMs: 100 }, cells: [] });
    assert.throws(() => loadSuite(file), /the suite's "timing" needs "minIterations"/);
  });

  it('carries the cells\' measured detectable slowdowns (a prediction alone, or with the pairs that caught an injected slowdown), and refuses a malformed one', () => {
    const file = write({
      name: 't',
      description: 'd',
      calibration: { wasm: 'results/baselines/x', cpu: 'results/baselines/y' },
      timing: TIMING,
      cells: [{ model: 'svm', workload: 'fit-linear', sizes: [{ rows: 10, cols: 2 }], measuredDetectable: { wasm: 0.31, cpu: { mde: 0.08, injected: 0.1, caught: 14, pairs: 20 } } }],
    });
    const suite = loadSuite(file);
    assert.deepEqual(suite.calibration, { wasm: 'results/baselines/x', cpu: 'results/baselines/y' });
    const calibrated = (calibration: unknown) => write({ name: 't', description: 'd', calibration, timing: TIMING, cells: [] });
    assert.throws(() => loadSuite(calibrated('results/baselines/x')), /"calibration" is "results\/baselines\/x"; it must name each backend's calibration folder, such as \{"wasm": /);
    assert.throws(() => loadSuite(calibrated({ wasm: 3 })), /"calibration.wasm" is 3; it must be the folder of that backend's calibration/);
    assert.deepEqual(suite.cells[0].measuredDetectable, { wasm: { mde: 0.31 }, cpu: { mde: 0.08, injected: 0.1, caught: 14, pairs: 20 } });
    const bad = (mark: unknown) => write({ name: 't', description: 'd', timing: TIMING, cells: [{ model: 'svm', workload: 'fit-linear', sizes: [{ rows: 10, cols: 2 }], measuredDetectable: { wasm: mark } }] });
    assert.throws(() => loadSuite(bad(-0.3)), /cell svm\/fit-linear: "measuredDetectable.wasm" is -0.3; it must be a positive fraction \(0.31 for 31%\)/);
    assert.throws(() => loadSuite(bad({ mde: 0 })), /"measuredDetectable.wasm.mde" is 0; it must be a positive fraction/);
    assert.throws(() => loadSuite(bad({ mde: 0.1, caught: 3 })), /"measuredDetectable.wasm" gives caught without the rest; a calibration's count needs injected, caught and pairs together/);
    assert.throws(() => loadSuite(bad({ mde: 0.1, injected: 0.1, caught: 21, pairs: 20 })), /has caught 21 of pairs 20; they must be whole numbers with 0 <= caught <= pairs/);
    assert.throws(() => loadSuite(bad({ mde: 0.1, detected: 3 })), /"measuredDetectable.wasm" has unknown field 'detected'; fields: mde, injected, caught, pairs/);
  });

  it('a run names the marked cells of its backends in its summary; an unknown backend in a mark is a usage error', () => {
    const lines = measuredDetectableLines({ options: { measuredDetectable: { calibration: { wasm: 'results/baselines/x', cpu: 'results/baselines/y' }, marks: [{ cell: 'svm/fit-linear/rows=10;cols=2', backend: 'wasm', mde: 0.31 }] } } } as unknown as RunContext);
    // Only the calibrations of the marked backends are named.
    assert.match(lines!, /beyond its gate's reach .*\(wasm: results\/baselines\/x\):/);
    assert.match(lines!, /svm\/fit-linear\/rows=10;cols=2 on wasm: 31.0% predicted$/m);
    const counted = measuredDetectableLines({ options: { measuredDetectable: { marks: [{ cell: 'logreg/fit/rows=10000;cols=50', backend: 'wasm', mde: 0.082, injected: 0.1, caught: 14, pairs: 20 }] } } } as unknown as RunContext);
    assert.match(counted!, /logreg\/fit\/rows=10000;cols=50 on wasm: 8.2% predicted; an injected 10% slowdown caught in 14 of 20 pairs/);
    const beyond = measuredDetectableLines({ options: { measuredDetectable: { marks: [{ cell: 'vae/decode/batch=512', backend: 'wasm', mde: 1 }] } } } as unknown as RunContext);
    assert.match(beyond!, /vae\/decode\/batch=512 on wasm: > 100%/);
    assert.equal(measuredDetectableLines({ options: {} } as unknown as RunContext), undefined);
    const file = write({ name: 't', description: 'd', timing: TIMING, cells: [{ model: 'logreg', workload: 'predict', sizes: [{ rows: 10, cols: 2 }], measuredDetectable: { tpu: 0.2 } }] });
    const r = modelbench(['run', '--suite', file, '--backends', 'cpu', '--out', tmp()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"measuredDetectable" names unknown backend 'tpu'; valid backends: cpu, wasm/);
    const named = write({ name: 't', description: 'd', calibration: { tpu: 'results/baselines/x' }, timing: TIMING, cells: [{ model: 'logreg', workload: 'predict', sizes: [{ rows: 10, cols: 2 }] }] });
    const n = modelbench(['run', '--suite', named, '--backends', 'cpu', '--out', tmp()]);
    assert.equal(n.code, 2);
    assert.match(n.stderr, /"calibration" names unknown backend 'tpu'; valid backends: cpu, wasm/);
  });
});

describe('suite files are read by one schema (the audit of 2026-12-02, issue 33)', () => {
  const base = { name: 't', description: 'd', timing: TIMING };
  const cell = (more: object) => ({ model: 'logreg', workload: 'fit', sizes: [{ rows: 200, cols: 5 }], ...more });
  const refused = (suite: object, message: RegExp, totalBytes?: number) => {
    const file = write(suite);
    assert.throws(() => loadSuite(file, totalBytes), (e: Error) => e.message.startsWith(`${file}: `) && message.test(e.message), JSON.stringify(suite));
  };

  it('every bundled suite loads (suites/smoke.json lost its dead "peers" field), on this machine and on one of 7 GiB', () => {
    for (const name of listSuites()) assert.ok(loadSuite(name, 7 * 2 ** 30).cells.length > 0, name);
  });

  it('refuses unknown fields at any level, naming the file and the field', () => {
    refused(
      { ...base, cells: [], peers: [] },
      /the suite has unknown field 'peers'; fields: name, description, calibration, timing, cells, implementations, gate/,
    );
    refused({ ...base, cells: [cell({ repeat: 5 })] }, /cells\[0\] has unknown field 'repeat'; fields: model, workload, sizes, countSizes, countSpan, timing, measuredDetectable/);
    refused(
      { ...base, cells: [cell({ sizes: [{ rows: 200, cols: 5, batch: 3 }] })] },
      /cells\[0\] \(logreg\/fit\) sizes\[0\] has unknown field 'batch'; fields: rows, cols/,
    );
    refused(
      { ...base, cells: [], implementations: [{ name: 'sklearn-logreg', cells: [], threads: 2 }] },
      /implementations\[0\] has unknown field 'threads'; fields: name, cells/,
    );
    refused({ ...base, cells: [], gate: { alpha: 0.1, beta: 1 } }, /"gate": unknown key 'beta'; keys: alpha, minEffect, overrides/);
  });

  it('refuses malformed cells and sizes at load, naming the cell index and the field', () => {
    refused({ ...base, cells: [null] }, /cells\[0\] is null; a cell is \{"model", "workload", "sizes": \[\.\.\.\]\}/);
    refused(
      { ...base, cells: [{ model: 'logreg', workload: 'fit' }] },
      /cells\[0\] \(logreg\/fit\): "sizes" is nothing; it must be a non-empty list such as \[\{"rows":100,"cols":100\}\]/,
    );
    refused({ ...base, cells: [cell({ sizes: '200x5' })] }, /cells\[0\] \(logreg\/fit\): "sizes" is "200x5"/);
    refused(
      { ...base, cells: [], implementations: [{ name: 'sklearn-logreg' }] },
      /implementations\[0\] \(sklearn-logreg\): "cells" is nothing; give its cells as a list, or the bare name "sklearn-logreg"/,
    );
    for (const rows of ['200', 200.5, -5, 0]) {
      refused(
        { ...base, cells: [cell({ sizes: [{ rows, cols: 5 }] })] },
        new RegExp(`sizes\\[0\\] "rows" is ${JSON.stringify(rows).replace('.', '\\.')}; it must be a whole number of at least 1`),
      );
    }
    refused(
      { ...base, cells: [{ model: 'vae', workload: 'train-step', sizes: [{ rows: 5 }] }] },
      /sizes\[0\] has unknown field 'rows'; fields: batch, hidden, latent, layers, noise, steps/,
    );
    refused({ ...base, name: 'x\u001b[31m', cells: [] }, /"name" "x\\u001b\[31m" holds control characters/);
  });

  it('refuses sizes the machine cannot hold and budgets beyond an hour or the cell\'s cap, before anything runs', () => {
    refused(
      { ...base, cells: [cell({ sizes: [{ rows: 2e7, cols: 100 }] })] },
      /sizes\[0\] \{"rows":20000000,"cols":100\}: its data \(20000000 x 100 float64\) needs 14\.90 GiB, over half of this machine's 23\.00 GiB/,
      23 * 2 ** 30,
    );
    refused(
      { ...base, cells: [{ model: 'vae', workload: 'train-step', sizes: [{ batch: 1e8 }] }] },
      /one batch of 100000000 x 784 float32 \(its widest layer\) needs 292\.06 GiB/,
      23 * 2 ** 30,
    );
    refused({ ...base, timing: { ...TIMING, timeMs: 1e12 }, cells: [] }, /the suite's "timing.timeMs" is 1000000000000; at most 3600000 \(one hour per cell\)/);
    refused(
      { ...base, cells: [cell({ timing: { timeMs: 20_000 } })] },
      /cell logreg\/fit: "timing.timeMs" is 20000, beyond its maxCellSeconds 10 \(10000 ms\); lower timeMs or raise maxCellSeconds/,
    );
    refused({ ...base, timing: { ...TIMING, minIterations: 2.5 }, cells: [] }, /"timing.minIterations" is 2\.5; it must be a whole number up to 1000000/);
  });
});
