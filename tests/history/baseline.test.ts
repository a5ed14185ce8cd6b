// compare's baseline from the store: each --ref picks the runs it names on the candidate's testbed
// (planted: commits without runs, a second testbed, a dirty run, the candidate's own run in the store),
// the runs read back equal the folders they came from, and what cannot be chosen is one line, exit 2,
// the store untouched.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { compare } from '../../src/api/api.js';
import { COMPARE_COMMAND, compareWithStoredBaseline } from '../../src/cli/compare.js';
import { UsageError } from '../../src/errors.js';
import { parseCommand } from '../../src/cli/options.js';
import { addRuns } from '../../src/history/ingest.js';
import { readStoredRuns } from '../../src/history/stored-runs.js';
import { openStore } from '../../src/history/store.js';
import { loadRun } from '../../src/results/load-runs.js';
import { modelbench } from '../helpers/cli.js';
import { tmpDir } from '../helpers/runs.js';
import { syntheticRepo } from './git-repo.js';
import { writeSyntheticRun, type SyntheticRun } from './synthetic-runs.js';

const dir = tmpDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const repo = syntheticRepo(path.join(dir, 'repo'), 12);
const git = (...args: string[]) => execFileSync('git', ['-C', repo.dir, ...args], { encoding: 'utf8' }).trim();
// A branch off main[7], never merged: its merge-base with main is main[7].
const feature = git('commit-tree', `${repo.main[7]}^{tree}`, '-p', repo.main[7], '-m', 'feature');
const store = path.join(dir, 'history.duckdb');
const runs = path.join(dir, 'runs');
const candidates = path.join(dir, 'candidates');

let n = 0;
function run(parent: string, sha: string, extra: Partial<SyntheticRun> = {}): string {
  const id = extra.runId ?? `run-${String(n).padStart(2, '0')}`;
  return writeSyntheticRun(
    parent,
    { runId: id, gitSha: sha, medians: [10], samplesPerRow: 30, seed: n, testbed: 'tb-a', ...extra },
    n++,
  );
}

// tb-a ran every main commit but 9 and 10, and main[7] twice; tb-b ran 7, 9 and 10; a dirty tb-a run at 11.
repo.main.forEach((sha, i) => (i === 9 || i === 10 ? undefined : run(runs, sha)));
run(runs, repo.main[7], { runId: 'run-7-again' });
for (const i of [7, 9, 10]) run(runs, repo.main[i], { runId: `tb-b-${i}`, testbed: 'tb-b' });
run(runs, repo.main[11], { runId: 'dirty-11', gitDirty: true });
const slower = run(candidates, feature, { runId: 'cand-slower', medians: [12] });
const same = run(candidates, feature, { runId: 'cand-same' });
const onMain = run(candidates, repo.main[11], { runId: 'cand-main' });
const otherSuite = run(candidates, feature, { runId: 'cand-suite', suite: 'other' });
// Counted runs of their own suite: main[2] in the store, two candidates at the feature commit (one 2% more cycles).
const COUNTED = { runId: 'counted-2', suite: 'counted', counted: { cycles: 1_000_000, calls: 64 } };
run(runs, repo.main[2], COUNTED);
const countedSame = run(candidates, feature, { ...COUNTED, runId: 'counted-same' });
const countedMore = run(candidates, feature, {
  ...COUNTED,
  runId: 'counted-more',
  counted: { cycles: 1_020_000, calls: 64 },
});

// A run whose rows carry what only results.json holds (its own suite: never a baseline here).
run(runs, repo.main[4], {
  runId: 'details-4',
  suite: 'details',
  extras: { expectedFailure: 'declared: float32 only', burstMedians: [10.1, 10, 9.9], objectiveAtOptimum: true },
});

async function gate(candidate: string, ...args: string[]) {
  const { values, positionals } = parseCommand(COMPARE_COMMAND, [
    candidate,
    '--baseline-from',
    store,
    '--repo',
    repo.dir,
    ...args,
  ]);
  return compareWithStoredBaseline(values, positionals);
}
const idsIn = (line: string | undefined) => (line ?? '').split(': ').at(-1)!.split(', ').sort();
const digest = () => crypto.createHash('sha256').update(fs.readFileSync(store)).digest('hex');

describe('compare --baseline-from STORE --ref', async () => {
  const s = await openStore(store, { write: true });
  // The candidate's own run in the store is never its baseline.
  await addRuns(s, [runs, onMain]);
  s.close();
  const before = digest();

  it('merge-base: the runs at the merge-base of the candidate and main, its testbed only, pooled', async () => {
    const out = await gate(same, '--ref', 'merge-base');
    assert.equal(out.code, 0, out.text);
    assert.deepEqual(idsIn(out.baselineLine), ['run-07', 'run-7-again']);
    assert.match(
      out.baselineLine!,
      /2 run\(s\) at 1 commit\(s\) \([0-9a-f]{7}\) on tb-a, the merge-base of the candidate's commit/,
    );
    assert.ok(out.baselineLine!.includes(repo.main[7].slice(0, 7)));
  });

  it('a folder of run folders answers as the store does', async () => {
    const out = await gate(same, '--baseline-from', runs, '--ref', 'window:3');
    assert.equal(out.code, 0, out.text);
    assert.deepEqual(idsIn(out.baselineLine), ['run-05', 'run-06', 'run-07', 'run-7-again']);
  });

  it('gates a planted 20% slowdown against the stored baseline, and passes the same speed', async () => {
    const out = await gate(slower, '--ref', 'merge-base');
    assert.equal(out.code, 1, out.text);
    assert.equal(out.result?.regressions, 1);
    assert.equal((await gate(same)).code, 0, 'merge-base is the default --ref');
  });

  it('main~N: the runs at that commit; none here: one line naming the other testbed; --across-testbeds', async () => {
    assert.deepEqual(idsIn((await gate(same, '--ref', 'main~3')).baselineLine), ['run-08']);
    assert.deepEqual(idsIn((await gate(same, '--ref', 'main~4')).baselineLine), ['run-07', 'run-7-again']);
    const none = await gate(same, '--ref', 'main~1');
    assert.equal(none.code, 2);
    assert.doesNotMatch(none.text, /\n/);
    assert.match(
      none.text,
      new RegExp(
        "no run of suite 'synthetic' on testbed tb-a at main~1 \\([0-9a-f]{7}\\); " +
          'the store has 1 there on other testbeds \\(tb-b\\): --across-testbeds',
      ),
    );
    const across = await gate(same, '--ref', 'main~1', '--across-testbeds');
    assert.equal(across.code, 0, across.text);
    assert.deepEqual(idsIn(across.baselineLine), ['tb-b-10']);
  });

  it("window:K pools the K latest commits of main with runs, up to the merge-base (on main: before it)", async () => {
    const window = await gate(same, '--ref', 'window:3');
    assert.deepEqual(idsIn(window.baselineLine), ['run-05', 'run-06', 'run-07', 'run-7-again']);
    const base = repo.main[7].slice(0, 7);
    assert.match(window.baselineLine!, new RegExp(`of main with runs up to ${base}, the merge-base of the candidate's commit`));
    // cand-main is at main[11]: 10 and 9 have no tb-a run, 11's other run is dirty, and cand-main itself is stored.
    const onMainOut = await gate(onMain, '--ref', 'window:3');
    assert.equal(onMainOut.code, 0, onMainOut.text);
    assert.deepEqual(idsIn(onMainOut.baselineLine), ['run-06', 'run-07', 'run-08', 'run-7-again']);
    assert.match(onMainOut.baselineLine!, /the last 3 commit\(s\) of main with runs before the candidate's commit [0-9a-f]{7}:/);
  });

  it('another suite, a bad --ref, a missing store or commit: one line each, exit 2, the store unchanged', async () => {
    const suite = await gate(otherSuite);
    assert.equal(suite.code, 2);
    assert.match(suite.text, /no run of suite 'other' on testbed tb-a at the merge-base/);
    const bad = await gate(same, '--ref', 'main~x');
    assert.equal(bad.code, 2);
    assert.match(bad.text, /--ref 'main~x': expected merge-base, main~N .* or window:K/);
    assert.match((await gate(same, '--ref', 'window:0')).text, /--ref 'window:0'/);
    const missing = await gate(same, '--baseline-from', path.join(dir, 'none.duckdb'));
    assert.equal(missing.code, 2);
    assert.match(missing.text, /none\.duckdb: no such store/);
    assert.equal((await gate(same, '--main', 'trunk')).code, 2);
    assert.equal(digest(), before);
  });

  it('the counted gate judges a stored counted baseline: same counts pass, 2% more cycles regress', async () => {
    const ok = await gate(countedSame, '--ref', 'window:10');
    assert.equal(ok.code, 0, ok.text);
    assert.deepEqual(idsIn(ok.baselineLine), ['counted-2']);
    assert.match(ok.text, /PASS \(counted rows\)/);
    const more = await gate(countedMore, '--ref', 'window:10');
    assert.equal(more.code, 1, more.text);
    assert.match(more.text, /FAIL: 1 counted row\(s\) regressed/);
  });

  it.each(['run-03', 'counted-2', 'details-4'])(
    'reads %s back as its folder has it: context, rows, samples in order',
    async (id) => {
      const s2 = await openStore(store, { write: false });
      try {
        const [stored] = await readStoredRuns(s2.connection, [id], store);
        const folder = loadRun(path.join(runs, id));
        assert.deepEqual(stored.context, folder.context);
        assert.equal(stored.dir, path.join(runs, id));
        assert.equal(stored.rows.length, folder.rows.length);
        for (const [i, row] of folder.rows.entries()) {
          assert.deepEqual(stored.rows[i].rawSamples, row.rawSamples);
          const { rawSamples: _a, ...want } = row;
          const { rawSamples: _b, ...got } = stored.rows[i];
          assert.deepEqual(got, want);
        }
      } finally {
        s2.close();
      }
    },
  );

  it('the library API takes the baseline from the store as the command does', async () => {
    const out = await compare({ candidate: slower, baselineFrom: store, repo: repo.dir, ref: 'merge-base' });
    assert.equal(out.code, 1, out.text);
    assert.deepEqual(idsIn(out.baselineLine), ['run-07', 'run-7-again']);
    assert.equal((await compare({ candidate: same, baselineFrom: store, repo: repo.dir })).code, 0);
    const both = compare({ baseline: same, candidate: same, baselineFrom: store, repo: repo.dir });
    await assert.rejects(both, (e: unknown) => e instanceof UsageError && /takes one run, CANDIDATE/.test(e.message));
    await assert.rejects(compare({ candidate: same }), (e: unknown) => e instanceof UsageError && /needs two runs/.test(e.message));
  });

  it('the command: the chosen runs in one line on stderr, the gate on stdout; misuse is one line, exit 2', () => {
    const r = modelbench(['compare', slower, '--baseline-from', store, '--repo', repo.dir, '--ref', 'merge-base']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^modelbench compare: baseline from .*history\.duckdb: 2 run\(s\) at 1 commit\(s\)/);
    assert.match(r.stdout, /regression/i);
    const two = modelbench(['compare', same, same, '--baseline-from', store]);
    assert.equal(two.code, 2);
    assert.match(two.stderr, /with --baseline-from, compare takes one run, CANDIDATE/);
    const stray = modelbench(['compare', same, same, '--ref', 'window:3']);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /--ref picks the baseline from a history store: give it with --baseline-from STORE/);
    assert.equal(stray.stderr.trim().split('\n').length, 1);
  });
});
