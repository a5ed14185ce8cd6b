// Trends over a small synthetic git history with a merged side branch: one point per commit in
// first-parent order, a planted 20% slowdown and an objective change found at their commits, runs
// off that history and runs of dirty checkouts said and left out.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { firstParentHistory } from '../../src/history/git-order.js';
import { addRuns } from '../../src/history/ingest.js';
import { openStore } from '../../src/history/store.js';
import { HistoryError } from '../../src/errors.js';
import { buildTrends, loadPoints, type TrendFilter } from '../../src/history/trend.js';
import { Rng } from '../../src/seeds.js';
import { modelbench } from '../helpers/cli.js';
import { tmpDir } from '../helpers/runs.js';
import { syntheticRepo, type SyntheticRepo } from './git-repo.js';
import { writeSyntheticRun } from './synthetic-runs.js';

const COMMITS = 40;
/** main's commit at which row 0 gets 20% slower, and the one at which every row's objective moves. */
const SLOWER_AT = 17;
const OBJECTIVE_AT = 31;

const dir = tmpDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const repo: SyntheticRepo = syntheticRepo(path.join(dir, 'repo'), COMMITS, 8);
const store = path.join(dir, 'history.duckdb');

function writeRuns(): string {
  const runs = path.join(dir, 'runs');
  const rng = new Rng(3);
  const noisy = (ms: number) => ms * Math.exp(0.01 * rng.normal());
  let n = 0;
  const run = (sha: string, i: number, extra: { host?: string; gitDirty?: boolean } = {}) =>
    writeSyntheticRun(runs, {
      runId: `run-${n}`, gitSha: sha, medians: [noisy(i >= SLOWER_AT ? 12 : 10), noisy(50)], samplesPerRow: 3, seed: n,
      objective: i >= OBJECTIVE_AT ? 11 : 10, ...extra,
    }, n++);
  repo.main.forEach((sha, i) => run(sha, i));
  // Two runs of one commit are one point (their median); a side-branch commit is no point of main's history.
  run(repo.main[3], 3);
  run(repo.side[1], 8);
  run(repo.main[5], 5, { gitDirty: true });
  repo.main.slice(0, 10).forEach((sha, i) => run(sha, i, { host: 'bench-2' }));
  return runs;
}

async function trends(filter: TrendFilter, ref = 'main') {
  const s = await openStore(store, { write: false });
  try {
    const { points, dirtyRuns } = await loadPoints(s.connection, filter);
    return buildTrends(points, firstParentHistory(repo.dir, ref), dirtyRuns);
  } finally {
    s.close();
  }
}

describe('history trend', async () => {
  const runsDir = writeRuns();
  const s = await openStore(store, { write: true });
  await addRuns(s, [runsDir]);
  s.close();

  it("orders each row's points by main's first-parent history and finds the planted slowdown at its commit", async () => {
    const report = await trends({ row: 'logreg/fit/rows=0;cols=10/cpu', machine: 'bench-1*' });
    assert.equal(report.series.length, 1);
    const [series] = report.series;
    assert.equal(series.row, 'logreg/fit/rows=0;cols=10/cpu/modelbench');
    assert.equal(series.time!.points, COMMITS);
    assert.equal(series.time!.steps.length, 1);
    const [step] = series.time!.steps;
    assert.ok(Math.abs(step.commit.position - SLOWER_AT) <= 1, `step at ${step.commit.position}`);
    assert.ok(Math.abs(step.change - 0.2) < 0.03, `change ${step.change}`);
    assert.equal(step.previous.position, step.commit.position - 1);
    assert.deepEqual(report.notInHistory, { runs: 1, commits: [repo.side[1]] });
    assert.equal(report.dirtyRuns, 1);
  });

  it('finds the objective step exactly, and a row with no step has none', async () => {
    const report = await trends({ row: 'logreg/fit/rows=1;*', machine: 'bench-1*' });
    const [series] = report.series;
    assert.deepEqual(series.time!.steps, []);
    assert.equal(series.quality!.name, 'J');
    assert.deepEqual(series.quality!.steps.map((q) => [q.commit.sha, q.change, q.z]), [[repo.main[OBJECTIVE_AT], 1, Infinity]]);
  });

  it('keeps machines apart, counts dirty runs when asked, and a branch without the later commits sees only its own', async () => {
    const both = await trends({ row: 'logreg/fit/rows=0;*' });
    assert.deepEqual(both.series.map((x) => [x.machine, x.time!.points]), [['bench-1 (Synthetic CPU x2)', COMMITS], ['bench-2 (Synthetic CPU x2)', 10]]);
    assert.equal((await trends({ row: 'logreg/fit/rows=0;*', dirty: true })).dirtyRuns, 0);
    const early = await trends({ row: 'logreg/fit/rows=0;*', machine: 'bench-1*' }, repo.main[12]);
    assert.equal(early.series[0].time!.points, 13);
    assert.equal(early.notInHistory.runs, COMMITS - 13 + 1);
    const noBranch = (e: unknown) => e instanceof HistoryError && /cannot read the history of no-such-branch/.test(e.message);
    await assert.rejects(trends({}, 'no-such-branch'), noBranch);
  });

  it('the command line prints where, by how much and how sure, and says what it left out', () => {
    const filters = ['--row', 'logreg/fit/rows=0;*', '--machine', 'bench-1*'];
    const r = modelbench(['history', 'trend', '--store', store, '--repo', repo.dir, '--branch', 'main', ...filters]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^note: 1 run\(s\) at 1 commit\(s\) not in the first-parent history of main \([0-9a-f]{7}\): left out; /);
    assert.match(lines[1], /^note: 1 run\(s\) of a checkout with uncommitted changes left out/);
    assert.match(lines[2], /^logreg\/fit\/rows=0;cols=10\/cpu\/modelbench on bench-1 \(Synthetic CPU x2\)/);
    assert.match(lines[3], /^ {2}median time: 40 commit\(s\), now 1[12]\.\d+ ms, noise 1\.\d%, 1 step\(s\)$/);
    const stepLine = /^ {4}step at [0-9a-f]{7} "commit 1[678]": \+\d+\.\d% \(\d+\.\d+ -> \d+\.\d+ ms\); z \d+\.\d; at this commit \d+%, within one \d+%$/;
    assert.match(lines[4], stepLine);
    const json = modelbench(['history', 'trend', '--runs', path.join(dir, 'runs'), '--repo', repo.dir, '--row', 'logreg/fit/rows=1;*', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).series.length, 2);
  });
});

// Counted runs of every main commit: a 0.3% step in estimated cycles at COUNTED_AT (far below what a
// timing's 1% noise shows, far above a count's 1e-5), and two commits counted over another span, whose
// per-call counts differ by the span alone: left out, no step made of them.
const COUNTED_AT = 23;
const OTHER_SPAN_AT = [5, 30];

describe('history trend on counted rows', async () => {
  const countedStore = path.join(dir, 'counted.duckdb');
  const runs = path.join(dir, 'counted-runs');
  const rng = new Rng(5);
  repo.main.forEach((sha, i) => {
    const other = OTHER_SPAN_AT.includes(i);
    const cycles = 1e6 * (i >= COUNTED_AT ? 1.003 : 1) * (other ? 0.8 : 1) * (1 + 1e-5 * rng.normal());
    const counted = { cycles, calls: other ? 128 : 64 };
    writeSyntheticRun(runs, { runId: `counted-${i}`, gitSha: sha, medians: [10 * Math.exp(0.01 * rng.normal())], samplesPerRow: 3, seed: i, counted }, i);
  });
  const s = await openStore(countedStore, { write: true });
  await addRuns(s, [runs]);
  s.close();
  const counted = async () => {
    const c = await openStore(countedStore, { write: false });
    try {
      const { points, dirtyRuns } = await loadPoints(c.connection, {});
      return buildTrends(points, firstParentHistory(repo.dir, 'main'), dirtyRuns).series[0];
    } finally {
      c.close();
    }
  };

  it('finds the 0.3% step in estimated cycles and instructions at its commit, and no step in time', async () => {
    const series = await counted();
    assert.equal(series.countedSpan, 64);
    assert.equal(series.otherSpans, OTHER_SPAN_AT.length);
    for (const m of [series.cycles!, series.instructions!]) {
      assert.equal(m.points, COMMITS - OTHER_SPAN_AT.length);
      assert.equal(m.steps.length, 1, `${m.name}: ${m.steps.length} steps`);
      assert.equal(m.steps[0].commit.sha, repo.main[COUNTED_AT]);
      assert.ok(Math.abs(m.steps[0].change - 0.003) < 1e-4, `change ${m.steps[0].change}`);
      assert.ok(m.steps[0].pAt > 0.99, `pAt ${m.steps[0].pAt}`);
    }
    assert.deepEqual(series.time!.steps, []);
  });

  it('the command prints the counted series, their step and the commits of another span', () => {
    const r = modelbench(['history', 'trend', '--store', countedStore, '--repo', repo.dir, '--branch', 'main']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\n {2}est\. cycles per call \(span 64\): 38 commit\(s\), now 1,00[23],\d{3}, noise 0\.00\d+%, 1 step\(s\)\n/);
    assert.match(r.stdout, new RegExp(`\\n {4}step at ${repo.main[COUNTED_AT].slice(0, 7)} "commit ${COUNTED_AT}": \\+0\\.3% `));
    assert.match(r.stdout, /\n {2}instructions per call \(span 64\): 38 commit\(s\)/);
    assert.match(r.stdout, /\n {2}2 counted commit\(s\) of another span left out of the counts/);
  });
});
