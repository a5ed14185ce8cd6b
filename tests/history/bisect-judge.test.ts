// How a bisect probe is judged against GOOD: counted rows by the counted gate (planted: 2% more
// estimated cycles is slower, 0.2% is under the 0.5% minimum effect, another span cannot be compared
// and skips the probe, an uncounted row says why), timed rows by the U test as before; and the
// command refuses --measure instructions with --impl in one line.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { baselineMeasured, countedRow, DEFAULT_MIN_EFFECT, judgeProbe } from '../../src/history/bisect-judge.js';
import { makeContext } from '../../src/results/context.js';
import type { LoadedRun } from '../../src/results/load-runs.js';
import { seedsFrom } from '../../src/seeds.js';
import type { Row } from '../../src/types.js';
import { modelbench } from '../helpers/cli.js';
import { latencies, row } from '../helpers/runs.js';

const KEY = 'logreg/predict/rows=100;cols=3/cpu';
const CONTEXT = makeContext('bisect', 1, seedsFrom(1), {});

function counted(cycles: number, calls = 64, extra: Partial<Row> = {}): LoadedRun {
  const r = row(
    {
      workload: 'predict',
      backend: 'cpu',
      estCyclesPerCall: cycles,
      instructionsPerCall: Math.round(0.9 * cycles),
      countSpreadPct: 0.05,
      countedCalls: calls,
      countedProcesses: 3,
      ...extra,
    },
    latencies(1, 3, 1),
  );
  return { dir: 'probe', context: CONTEXT, rows: [r] };
}

function timed(median: number, seed: number): LoadedRun {
  return {
    dir: 'probe',
    context: CONTEXT,
    rows: [row({ workload: 'predict', backend: 'cpu' }, latencies(median, 40, seed))],
  };
}

const GOOD = counted(1_000_000);
const judgeCounted = (probe: LoadedRun) =>
  judgeProbe('instructions', GOOD, probe, KEY, DEFAULT_MIN_EFFECT.instructions, 'GOOD');

describe("bisect's judgement of a probe", () => {
  it('counted: 2% more estimated cycles is slower; 0.2% more and 3% fewer are not', () => {
    const more = judgeCounted(counted(1_020_000));
    assert.equal(more.outcome, 'slower');
    assert.ok(Math.abs(more.change! - 0.02) < 1e-12);
    assert.match(more.measured, /^est\. cycles\/call 1020000, \+2\.0% against GOOD \(instructions \+2\.0%\)$/);
    assert.match(more.verdict, /^regression \(detectable 0\.500%\)$/);
    assert.equal(judgeCounted(counted(1_002_000)).outcome, 'not slower');
    const fewer = judgeCounted(counted(970_000));
    assert.equal(fewer.outcome, 'not slower');
    assert.match(fewer.verdict, /^improvement/);
  });

  it("counted: the sides' spreads raise the bar above the minimum effect", () => {
    const noisy = judgeCounted(counted(1_020_000, 64, { countSpreadPct: 2.5 }));
    assert.equal(noisy.outcome, 'not slower');
    assert.match(noisy.verdict, /no change \(detectable 2\.5%\)/);
  });

  it('counted over another span: not compared, so the probe is skipped and says why', () => {
    const other = judgeCounted(counted(1_500_000, 128));
    assert.equal(other.outcome, 'skipped');
    assert.match(other.verdict, /not compared: counted spans differ \(baseline 64 calls, candidate 128\)/);
  });

  it('a probe whose row was not counted is skipped with its count note; a run without the row says the failure', () => {
    const note = 'webgpu runs its kernels on a GPU: not counted';
    const uncounted = counted(0, 64, { estCyclesPerCall: undefined, countNote: note });
    assert.deepEqual(countedRow(uncounted, KEY, 'no row'), { why: `ok, not counted: ${note}` });
    assert.deepEqual(countedRow(undefined, KEY, 'does not run (exit 2)'), { why: 'does not run (exit 2)' });
    assert.equal(countedRow(GOOD, KEY, 'no row').run, GOOD);
    assert.equal(judgeCounted(uncounted).outcome, 'skipped');
    assert.match(
      baselineMeasured('instructions', GOOD, KEY),
      /^est\. cycles\/call 1000000, instructions\/call 900000 \(span 64 calls\)$/,
    );
  });

  it('timed: a 20% slower probe is slower by the U test, the same speed is not', () => {
    const slower = judgeProbe('time', timed(10, 1), timed(12, 2), KEY, DEFAULT_MIN_EFFECT.time, 'GOOD');
    assert.equal(slower.outcome, 'slower');
    assert.match(slower.measured, /^median 1[12]\.\d+ ms, \+\d+\.\d% against GOOD$/);
    assert.match(slower.verdict, /^regression, p /);
    assert.equal(
      judgeProbe('time', timed(10, 1), timed(10, 3), KEY, DEFAULT_MIN_EFFECT.time, 'GOOD').outcome,
      'not slower',
    );
  });

  it('the command refuses an unknown measure in one line (exit 2); implementations are counted too now', () => {
    const bogus = modelbench([
      'bisect',
      'HEAD~1',
      'HEAD',
      '--row',
      'logreg/predict/rows=100;cols=3/cpu',
      '--measure',
      'cycles',
    ]);
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /--measure 'cycles': valid: time, instructions/);
  });
});
