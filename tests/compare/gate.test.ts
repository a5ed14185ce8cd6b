import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { compare, GATE_DEFAULTS } from '../../src/gate/gate.js';
import { loadSide } from '../../src/results/load-runs.js';
import { pool } from '../../src/stats/pool.js';
import { latencies, row, tmpDir, writeRun } from '../helpers/runs.js';

function sides(baseRows: Parameters<typeof writeRun>[1], candRows: Parameters<typeof writeRun>[1], candContext = {}) {
  const dir = tmpDir();
  const b = writeRun(dir, baseRows);
  const c = writeRun(dir, candRows, candContext);
  return { baseline: pool(loadSide(b)), candidate: pool(loadSide(c)) };
}

describe('compare gate', () => {
  it('passes two draws from the same distribution (A/A)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { baseline, candidate } = sides(
        [row({ workload: 'fit', backend: 'wasm' }, latencies(10, 40, seed)), row({ workload: 'predict', backend: 'wasm' }, latencies(1, 200, seed + 100))],
        [row({ workload: 'fit', backend: 'wasm' }, latencies(10, 40, seed + 1000)), row({ workload: 'predict', backend: 'wasm' }, latencies(1, 200, seed + 2000))],
      );
      const c = compare(baseline, candidate);
      assert.equal(c.regressions, 0, JSON.stringify(c.speed));
      assert.equal(c.qualityFailures, 0);
    }
  });

  it('catches a 15% slowdown of one row and names it', () => {
    const { baseline, candidate } = sides(
      [row({ workload: 'fit', backend: 'wasm' }, latencies(10, 40, 1)), row({ workload: 'predict', backend: 'wasm' }, latencies(1, 200, 2))],
      [row({ workload: 'fit', backend: 'wasm' }, latencies(10, 40, 3)), row({ workload: 'predict', backend: 'wasm' }, latencies(1.15, 200, 4))],
    );
    const c = compare(baseline, candidate);
    assert.equal(c.regressions, 1);
    const bad = c.speed.find((s) => s.verdict === 'regression')!;
    assert.equal(bad.key, 'logreg/predict/rows=100;cols=3/wasm');
    assert.ok(bad.change! > 0.1 && bad.change! < 0.2);
  });

  it('does not call a significant 2% slowdown a regression (minimum effect 5%)', () => {
    const { baseline, candidate } = sides([row({ workload: 'predict', backend: 'wasm' }, latencies(1, 2000, 5))], [row({ workload: 'predict', backend: 'wasm' }, latencies(1.02, 2000, 6))]);
    const c = compare(baseline, candidate);
    assert.equal(c.regressions, 0);
    assert.match(c.speed[0].detail, /below the 5% minimum effect/);
  });

  it('honours a per-row minimum effect override', () => {
    const { baseline, candidate } = sides([row({ workload: 'predict', backend: 'webgpu' }, latencies(1, 200, 7))], [row({ workload: 'predict', backend: 'webgpu' }, latencies(1.15, 200, 8))]);
    assert.equal(compare(baseline, candidate).regressions, 1);
    assert.equal(compare(baseline, candidate, { ...GATE_DEFAULTS, overrides: [{ match: '*/webgpu', minEffect: 0.25 }] }).regressions, 0);
  });

  it('says when there are too few samples to judge, rather than judging', () => {
    const { baseline, candidate } = sides([row({ workload: 'fit', backend: 'cpu' }, latencies(100, 4, 9))], [row({ workload: 'fit', backend: 'cpu' }, latencies(200, 4, 10))]);
    const c = compare(baseline, candidate);
    assert.equal(c.speed[0].verdict, 'too few samples');
    assert.equal(c.regressions, 0);
  });

  it('pools repeats: a folder of runs per side', () => {
    const dir = tmpDir();
    const base = `${dir}/base`;
    const cand = `${dir}/cand`;
    for (let i = 0; i < 3; i++) {
      writeRun(base, [row({ workload: 'fit', backend: 'cpu' }, latencies(100, 4, 20 + i))]);
      writeRun(cand, [row({ workload: 'fit', backend: 'cpu' }, latencies(130, 4, 30 + i))]);
    }
    const c = compare(pool(loadSide(base)), pool(loadSide(cand)));
    assert.equal(c.speed[0].nBaseline, 12);
    assert.equal(c.speed[0].verdict, 'regression');
  });

  it('with repeated runs, one noisy candidate run is not a regression; a slowdown in every run is', () => {
    const dir = tmpDir();
    writeRun(`${dir}/base`, [row({ workload: 'predict', backend: 'wasm' }, latencies(1.0, 300, 41))]);
    writeRun(`${dir}/base`, [row({ workload: 'predict', backend: 'wasm' }, latencies(1.02, 300, 42))]);
    // One candidate run hit by a neighbour (+40%), the other like the baseline.
    writeRun(`${dir}/noisy`, [row({ workload: 'predict', backend: 'wasm' }, latencies(1.4, 300, 43))]);
    writeRun(`${dir}/noisy`, [row({ workload: 'predict', backend: 'wasm' }, latencies(1.01, 300, 44))]);
    const noisy = compare(pool(loadSide(`${dir}/base`)), pool(loadSide(`${dir}/noisy`)));
    assert.equal(noisy.regressions, 0, noisy.speed[0].detail);
    writeRun(`${dir}/slow`, [row({ workload: 'predict', backend: 'wasm' }, latencies(1.15, 300, 45))]);
    writeRun(`${dir}/slow`, [row({ workload: 'predict', backend: 'wasm' }, latencies(1.6, 300, 46))]);
    const slow = compare(pool(loadSide(`${dir}/base`)), pool(loadSide(`${dir}/slow`)));
    assert.equal(slow.regressions, 1);
    assert.match(slow.speed[0].detail, /in every run/);
    // One slow candidate process (+40%) and one barely above the slowest baseline run (+2.5% of the
    // pooled median): every run is slower, but only one by the minimum effect: not a regression.
    writeRun(`${dir}/one-slow`, [row({ workload: 'predict', backend: 'wasm' }, latencies(1.4, 300, 47))]);
    writeRun(`${dir}/one-slow`, [row({ workload: 'predict', backend: 'wasm' }, latencies(1.035, 300, 48))]);
    const oneSlow = compare(pool(loadSide(`${dir}/base`)), pool(loadSide(`${dir}/one-slow`)));
    assert.equal(oneSlow.regressions, 0, oneSlow.speed[0].detail);
    assert.match(oneSlow.speed[0].detail, /not by the minimum effect on its own/);
  });

  it('quality gate: a failed check, an error and a moved objective fail; unavailable is listed', () => {
    const ok = (w: string, b: string) => row({ workload: w, backend: b }, latencies(1, 50, w.length + b.length));
    const { baseline, candidate } = sides(
      [ok('fit', 'cpu'), ok('predict', 'cpu'), ok('fit', 'wasm'), ok('predict', 'wasm'), ok('fit', 'webgpu')],
      [
        row({ workload: 'fit', backend: 'cpu', status: 'check-failed', check: 'fail', error: 'J off' }, latencies(1, 50, 1)),
        row({ workload: 'predict', backend: 'cpu', status: 'errored', error: 'boom' }, []),
        row({ workload: 'fit', backend: 'wasm', objective: 10.1 }, latencies(1, 50, 2)),
        ok('predict', 'wasm'),
        row({ workload: 'fit', backend: 'webgpu', status: 'unavailable', error: 'no adapter' }, []),
      ],
    );
    const c = compare(baseline, candidate);
    const verdict = (k: string) => c.quality.find((q) => q.key.startsWith(k))!.verdict;
    assert.equal(verdict('logreg/fit/rows=100;cols=3/cpu'), 'failed');
    assert.equal(verdict('logreg/predict/rows=100;cols=3/cpu'), 'errored');
    assert.equal(verdict('logreg/fit/rows=100;cols=3/wasm'), 'moved');
    assert.equal(verdict('logreg/predict/rows=100;cols=3/wasm'), 'ok');
    assert.equal(verdict('logreg/fit/rows=100;cols=3/webgpu'), 'not run');
    assert.equal(c.qualityFailures, 3);
  });

  it('lists unmatched rows and environment differences', () => {
    const { baseline, candidate } = sides(
      [row({ workload: 'fit', backend: 'cpu' }, latencies(1, 9, 1)), row({ workload: 'predict', backend: 'cpu' }, latencies(1, 9, 2))],
      [row({ workload: 'fit', backend: 'cpu' }, latencies(1, 9, 3)), row({ workload: 'fit', backend: 'wasm' }, latencies(1, 9, 4))],
      { nodeVersion: 'v22.0.0', cpuModel: 'Other CPU' },
    );
    const c = compare(baseline, candidate);
    assert.deepEqual(c.onlyInBaseline, ['logreg/predict/rows=100;cols=3/cpu']);
    assert.deepEqual(c.onlyInCandidate, ['logreg/fit/rows=100;cols=3/wasm']);
    assert.ok(c.environment.some((e) => e.field === 'Node' && e.candidate === 'v22.0.0'));
    assert.ok(c.environment.some((e) => e.field === 'CPU' && e.candidate.startsWith('Other CPU')));
  });
});
