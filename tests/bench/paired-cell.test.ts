// Paired timing: the burst plan and orders, and a cell timed paired across two real worker processes
// of this checkout (cpu backend), one slowed by the calibration's injected slowdown: both rows carry
// bursts of equal count, the gate pairs them and calls the slowed one a regression; a build whose
// process fails becomes an errored row and the other build's row is still timed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { BackendState, type Build } from '../../src/timing/cell-process.js';
import { INJECT_ENV } from '../../src/timing/inject-slowdown.js';
import { burstOrders, burstPlan, MIN_BURSTS, MIN_CALLS_PER_BURST, runCellPaired } from '../../src/timing/paired-cell.js';
import { pairingCpu } from '../../src/timing/pin-cpu.js';
import { silentProgress } from '../../src/timing/progress.js';
import { compare, GATE_DEFAULTS } from '../../src/gate/gate.js';
import { loadSide } from '../../src/results/load-runs.js';
import { pool } from '../../src/stats/pool.js';
import { makeContext } from '../../src/results/context.js';
import { RunWriter } from '../../src/results/run-writer.js';
import { seedsFrom } from '../../src/seeds.js';

describe('burst plan', () => {
  it('splits the cell time into at least MIN_BURSTS bursts of at least MIN_CALLS_PER_BURST calls, within maxCellSeconds', () => {
    assert.deepEqual(burstPlan({ timeMs: 1200, minIterations: 5, warmupIterations: 1, maxCellSeconds: 10 }, 0.3), { count: 12, ms: 100 });
    assert.deepEqual(burstPlan({ timeMs: 4000, minIterations: 5, warmupIterations: 1 }, 1), { count: 40, ms: 100 });
    // A 90 ms call: bursts of five calls.
    assert.deepEqual(burstPlan({ timeMs: 1200, minIterations: 5, warmupIterations: 1, maxCellSeconds: 10 }, 90), { count: MIN_BURSTS, ms: MIN_CALLS_PER_BURST * 90 });
    // A 180 ms call in a 10 s cell: twelve bursts of fewer calls.
    const slow = burstPlan({ timeMs: 1200, minIterations: 5, warmupIterations: 1, maxCellSeconds: 10 }, 180);
    assert.equal(slow.count, MIN_BURSTS);
    assert.ok(slow.count * slow.ms <= 10000 && slow.ms >= 180);
    // A 5 s call: single-call bursts, at least three.
    const huge = burstPlan({ timeMs: 1200, minIterations: 5, warmupIterations: 1, maxCellSeconds: 10 }, 5000);
    assert.deepEqual(huge, { count: 3, ms: 5000 });
  });

  it('orders the builds so that each goes first equally often', () => {
    assert.deepEqual(burstOrders(2), [[0, 1], [1, 0]]);
    const three = burstOrders(3);
    assert.equal(three.length, 6);
    for (const b of [0, 1, 2]) assert.equal(three.filter((o) => o[0] === b).length, 2);
    assert.equal(burstOrders(5).length, 5);
  });
});

describe('runCellPaired', () => {
  const seeds = seedsFrom(7);
  // Bursts of 100 ms, pinned as the gate pins them: this file shares the machine with the other test
  // workers, and 20 ms bursts left to the scheduler were cut short often enough to hide a 50% slowdown.
  const timing = { timeMs: 1200, minIterations: 3, warmupIterations: 1, maxCellSeconds: 5 };
  const cell = { model: 'logreg', workload: 'predict', size: { rows: 2000, cols: 20 } };
  const clean = { ...process.env };
  delete clean[INJECT_ENV];

  async function runPaired(builds: Build[], dir: string) {
    const sides = builds.map((build) => ({ build, state: new BackendState('cpu'), writer: new RunWriter(path.join(dir, build.name), { ...makeContext('t', 7, seeds, { role: build.name, pairedRound: 's round 1' }), runId: `r-${build.name}` }) }));
    const rows = await runCellPaired(sides, cell, seeds, timing, pairingCpu().cpu, silentProgress);
    sides.forEach((s, i) => {
      s.writer.add(rows[i]);
      s.writer.finish();
    });
    return rows;
  }

  it('times two builds burst by burst; the gate pairs the bursts and catches the slowed build', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-paired-'));
    const rows = await runPaired(
      [
        { name: 'baseline', env: clean },
        { name: 'candidate', env: { ...clean, [INJECT_ENV]: 'logreg/predict/*/cpu=1' } },
      ],
      dir,
    );
    for (const r of rows) {
      assert.equal(r.status, 'ok', r.error);
      assert.equal(r.burstMedians!.length, MIN_BURSTS);
      assert.ok(r.samples >= MIN_BURSTS);
    }
    const c = compare(pool(loadSide(path.join(dir, 'baseline'))), pool(loadSide(path.join(dir, 'candidate'))), GATE_DEFAULTS);
    const s = c.speed[0];
    assert.deepEqual(s.paired, { bursts: MIN_BURSTS, rounds: 1 });
    assert.equal(s.verdict, 'regression', s.detail);
    assert.ok(s.change! > 0.3, `shift ${s.change}`);
  }, 120_000);

  it('a build whose process fails gets an errored row saying why; the other is timed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-paired-'));
    const rows = await runPaired(
      [
        { name: 'good', env: clean },
        { name: 'broken', env: { ...clean, [INJECT_ENV]: 'not-a-spec' } },
      ],
      dir,
    );
    assert.equal(rows[0].status, 'ok', rows[0].error);
    assert.equal(rows[0].burstMedians!.length, MIN_BURSTS);
    assert.equal(rows[1].status, 'errored');
    assert.match(rows[1].error!, /backend process exited with code 1 during this cell: .*MODELBENCH_INJECT_SLOWDOWN: 'not-a-spec' is not GLOB=FRACTION/);
  }, 120_000);
});
