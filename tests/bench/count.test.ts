// Counted measurement without valgrind: the cachegrind reader, the cost model in closed form, counts
// per call from two iteration counts, the counted plan, and the counted gate — which flags 2% more
// work, passes an identical pair, refuses a counted run against a timed one, and never compares rows
// counted over different spans.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { countedCost, countPlan } from '../../src/timing/count/count-cell.js';
import { estimatedCycles, L1_MISS_CYCLES, LL_MISS_CYCLES } from '../../src/timing/count/cost-model.js';
import { uncountable } from '../../src/timing/count/counted-row.js';
import { fromRegions, perIteration } from '../../src/timing/count/per-iteration.js';
import { readCounts, type Counts } from '../../src/timing/count/valgrind.js';
import { compareCounted } from '../../src/gate/counted-gate.js';
import { executeCompare } from '../../src/cli/compare.js';
import type { Row } from '../../src/types.js';
import { latencies, row, tmpDir, writeRun } from '../helpers/runs.js';

const counts = (ir: number, l1 = 0, ll = 0): Counts => ({ ir, i1mr: l1, ilmr: ll, dr: 0, d1mr: 0, dlmr: 0, dw: 0, d1mw: 0, dlmw: 0 });

function counted(backend: string, cycles: number, spreadPct = 0.02, calls = 64): Row {
  return row({ workload: 'predict', backend, estCyclesPerCall: cycles, instructionsPerCall: cycles * 0.9, countSpreadPct: spreadPct, countedCalls: calls, countedProcesses: 3 }, latencies(1, 20, 1));
}

const mapOf = (rows: Row[]) => new Map(rows.map((r) => [`${r.model}/${r.workload}/${r.size}/${r.backend}`, r]));

describe('counted measurement', () => {
  it('weighs a counted process by its warm-up and, 14 times heavier, its instrumented calls (the span and the fill)', () => {
    assert.equal(countedCost({ warmup: 8, lo: 1, hi: 2 }, 10), 10 * (8 + 14 * 2));
    // A span of 128 short calls outweighs one long call with its warm-up of 8.
    assert.ok(countedCost({ warmup: 512, lo: 128, hi: 256 }, 0.4) > countedCost({ warmup: 8, lo: 1, hi: 2 }, 10));
  });

  it('reads the whole-process counts from a cachegrind file', () => {
    const file = path.join(tmpDir(), 'cachegrind.out');
    fs.writeFileSync(file, 'desc: I1 cache: 32768 B\ncmd: node x.mjs\nevents: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw \nfl=a.c\nfn=f\n1 2 3\nsummary: 1000 10 1 400 20 2 300 30 3\n');
    assert.deepEqual(readCounts(file), { ir: 1000, i1mr: 10, ilmr: 1, dr: 400, d1mr: 20, dlmr: 2, dw: 300, d1mw: 30, dlmw: 3 });
    fs.writeFileSync(file, 'events: Ir\nsummary: 1000\n');
    assert.throws(() => readCounts(file), /did not count i1mr \(--cache-sim=yes missing\?\)/);
    fs.writeFileSync(file, 'events: Ir\n');
    assert.throws(() => readCounts(file), /has no summary of counts/);
  });

  it('estimates cycles as instructions + 10 per L1 miss + 100 more per last-level miss', () => {
    // 1000 instructions, 60 L1 misses of which 6 also missed the last level.
    const c: Counts = { ir: 1000, i1mr: 10, ilmr: 1, dr: 0, d1mr: 20, dlmr: 2, dw: 0, d1mw: 30, dlmw: 3 };
    assert.equal(estimatedCycles(c), 1000 + L1_MISS_CYCLES * 60 + LL_MISS_CYCLES * 6);
    assert.equal(estimatedCycles(c), 2200);
  });

  it('gives counts per call from the difference of two iteration counts, start-up cancelled, with the spread', () => {
    const startup = 5e8;
    const lo = counts(startup + 64 * 1e6, startup / 100 + 64 * 1000);
    const his = [counts(startup + 128 * 1e6, startup / 100 + 128 * 1000), counts(startup + 128 * 1e6 + 64 * 200, startup / 100 + 128 * 1000)];
    const p = perIteration(lo, his, 64, 128);
    assert.equal(p.instructions, 1e6 + 100);
    assert.equal(p.l1Misses, 1000);
    assert.deepEqual(p.cycleSamples, [1e6 + 10_000, 1e6 + 200 + 10_000]);
    assert.ok(Math.abs(p.spreadPct - (100 * 200) / (1e6 + 10_100)) < 1e-9, String(p.spreadPct));
    assert.throws(() => perIteration(lo, [], 64, 128), /need processes with more iterations/);
  });

  it("gives counts per call from each process's region of span calls, one estimate each", () => {
    const region = (perCall: number, l1: number) => counts(8 * perCall, 8 * l1);
    const p = fromRegions([region(1e6, 100), region(1e6 + 300, 100), region(1e6 - 100, 101)], 8);
    assert.deepEqual(p.instructionSamples, [1e6, 1e6 + 300, 1e6 - 100]);
    assert.equal(p.instructions, 1e6);
    assert.equal(p.l1Misses, 100);
    assert.deepEqual(p.cycleSamples, [1e6 + 1000, 1e6 + 1300, 1e6 - 100 + 1010]);
    assert.equal(p.estimatedCycles, 1e6 + 1000);
    assert.ok(Math.abs(p.spreadPct - (100 * 390) / (1e6 + 1000)) < 1e-9, String(p.spreadPct));
    assert.equal(p.processes, 3);
    assert.throws(() => fromRegions([], 8), /need a counted region/);
  });

  it('plans a span of a power of two calls, its warm-up four spans and at least 8 calls, bounded both ways', () => {
    // 50 ms of native calls for ours, 150 ms for an implementation's requests.
    assert.deepEqual(countPlan(1), { warmup: 256, lo: 64, hi: 128 });
    assert.deepEqual(countPlan(1, undefined, 150), { warmup: 512, lo: 128, hi: 256 });
    // A given span's warm-up does not depend on the probe's clock: two runs compared warm up alike.
    assert.deepEqual(countPlan(0.1, 16), countPlan(3, 16));
    // 50 / 1.1 ms = 45 calls and 50 / 0.95 = 53: the nearest power of two, so that probe noise seldom moves it.
    assert.equal(countPlan(1.1).lo, countPlan(0.95).lo);
    assert.equal(countPlan(1e-6).lo, 1024);
    // One call can be a span of ours (regions hold only calls), after 8 calls of warm-up; whole processes need four.
    assert.deepEqual(countPlan(1e4), { warmup: 8, lo: 1, hi: 2 });
    assert.deepEqual(countPlan(20, 4), { warmup: 16, lo: 4, hi: 8 });
    assert.equal(countPlan(1e4, undefined, 150, 4).lo, 4);
    // Implementations: whole processes, whose warm-up is counted, warm up for one span.
    assert.deepEqual(countPlan(1, 16, 150, 4, 1, 1), { warmup: 16, lo: 16, hi: 32 });
    assert.equal(countPlan(1, 32).lo, 32);
  });

  it('counts only backends whose work valgrind sees whole', () => {
    assert.equal(uncountable('cpu'), undefined);
    assert.equal(uncountable('wasm'), undefined);
    assert.match(uncountable('webgpu')!, /off the Node process's one thread/);
    assert.match(uncountable('browser-wasm')!, /runs in a browser process/);
  });

  it('the counted gate flags 2% more work, passes an identical pair, and does not compare different spans', () => {
    const base = mapOf([counted('cpu', 1e6), counted('wasm', 2e6)]);
    assert.equal(compareCounted(base, base).regressions, 0);
    const slower = compareCounted(base, mapOf([counted('cpu', 1.02e6), counted('wasm', 2e6)]));
    assert.equal(slower.regressions, 1);
    assert.equal(slower.rows.find((r) => r.key.endsWith('/cpu'))!.verdict, 'regression');
    assert.ok(Math.abs(slower.rows.find((r) => r.key.endsWith('/cpu'))!.change! - 0.02) < 1e-12);
    // 0.3% is below the 0.5% minimum effect; a noisy side widens what can be flagged.
    assert.equal(compareCounted(base, mapOf([counted('cpu', 1.003e6), counted('wasm', 2e6)])).regressions, 0);
    assert.equal(compareCounted(mapOf([counted('cpu', 1e6, 2)]), mapOf([counted('cpu', 1.02e6, 2)])).regressions, 0);
    const spans = compareCounted(base, mapOf([counted('cpu', 1.5e6, 0.02, 128), counted('wasm', 2e6)]));
    assert.equal(spans.regressions, 0);
    assert.match(spans.rows[0].note!, /counted spans differ \(baseline 64 calls, candidate 128\)/);
  });

  it('compare exits 1 on a counted regression, 0 on an identical pair, and refuses a counted run against a timed one', () => {
    const dir = tmpDir();
    const a = writeRun(dir, [counted('cpu', 1e6)]);
    const b = writeRun(dir, [counted('cpu', 1.02e6)]);
    const timedOnly = writeRun(dir, [row({ workload: 'predict', backend: 'cpu' }, latencies(1, 20, 1))]);
    const values = { format: 'table' } as Parameters<typeof executeCompare>[0];
    assert.equal(executeCompare(values, [a, a]).code, 0);
    const r = executeCompare(values, [a, b]);
    assert.equal(r.code, 1);
    assert.match(r.text, /FAIL: 1 counted row\(s\) regressed/);
    const md = executeCompare({ ...values, format: 'markdown' }, [a, b]).text;
    assert.match(md, /\n### Counted\n/);
    assert.match(md, /\n\| row \(counted\) \| baseline est\. cycles\/call \| candidate \|.*\n\| --- \|/);
    assert.match(md, /\n\| logreg\/predict\/[^|]+\/cpu \| 1000000 \| 1020000 \| \+2\.000% \|/);
    assert.match(md, /\*\*FAIL: 1 counted row\(s\) regressed\*\*/);
    const mixed = executeCompare(values, [a, timedOnly]);
    assert.equal(mixed.code, 2);
    assert.match(mixed.text, /BASELINE has counted rows and CANDIDATE has none: a gate on counts needs both runs with --measure instructions/);
  });
});
