// report --store: each cell's section shows its trend over history, a planted 20% step marked at its
// commit (in the chart and in the fit's lines), a cell without a step marked with none, a cell the
// store lacks said so; a store that cannot be read is one line, exit 2, and no report is written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { executeReport, REPORT_COMMAND } from '../../src/cli/report.js';
import { parseCommand } from '../../src/cli/options.js';
import { addRuns } from '../../src/history/ingest.js';
import { openStore } from '../../src/history/store.js';
import { Rng } from '../../src/seeds.js';
import { tmpDir } from '../helpers/runs.js';
import { syntheticRepo } from './git-repo.js';
import { writeSyntheticRun } from './synthetic-runs.js';

const COMMITS = 30;
const STEP_AT = 15;
const dir = tmpDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const repo = syntheticRepo(path.join(dir, 'repo'), COMMITS);
const store = path.join(dir, 'history.duckdb');
const rng = new Rng(5);
const noisy = (ms: number) => ms * Math.exp(0.01 * rng.normal());
// Row 0 gets 20% slower at STEP_AT; row 1 stays level. The last run has a third row the store has not seen.
const runs = repo.main.map((sha, i) =>
  writeSyntheticRun(
    path.join(dir, 'runs'),
    {
      runId: `run-${String(i).padStart(2, '0')}`,
      gitSha: sha,
      medians: [noisy(i >= STEP_AT ? 12 : 10), noisy(40)],
      samplesPerRow: 5,
      seed: i,
    },
    i,
  ),
);
const latest = writeSyntheticRun(
  path.join(dir, 'latest'),
  { runId: 'latest', gitSha: repo.main.at(-1)!, medians: [12, 40, 7], samplesPerRow: 5, seed: 99 },
  COMMITS,
);

async function report(...args: string[]) {
  const { values, positionals } = parseCommand(REPORT_COMMAND, args);
  return executeReport(values, positionals);
}

/** The section of one cell, from its heading to the next. */
function section(html: string, cell: string): string {
  const start = html.indexOf(`<h3>${cell}</h3>`);
  assert.ok(start >= 0, `no section for ${cell}`);
  const end = html.indexOf('<h3>', start + 4);
  return html.slice(start, end < 0 ? undefined : end);
}

describe('report --store FILE', async () => {
  const s = await openStore(store, { write: true });
  await addRuns(s, runs);
  s.close();

  it("marks the planted step in the cell's trend at its commit, and none in the level cell", async () => {
    const out = path.join(dir, 'report.html');
    const outcome = await report(latest, '--out', out, '--store', store, '--repo', repo.dir, '--branch', 'main');
    assert.equal(outcome.code, 0, outcome.error);
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, /History from .*history\.duckdb, ordered by the first-parent history of main/);
    const sha = repo.main[STEP_AT].slice(0, 7);
    const stepped = section(html, 'logreg / fit / rows=0;cols=10');
    assert.match(stepped, /<h4>History<\/h4>/);
    assert.match(stepped, /<svg/);
    assert.match(stepped, new RegExp(`\\+20\\.\\d% at ${sha}`), 'the chart labels the step');
    assert.match(
      stepped,
      new RegExp(`step at ${sha} &quot;commit ${STEP_AT}&quot;: \\+20\\.\\d%`),
      'the fit says where, by how much',
    );
    assert.match(stepped, /median time: 30 commit\(s\).*1 step\(s\)/);
    const level = section(html, 'logreg / fit / rows=1;cols=10');
    assert.match(level, /median time: 30 commit\(s\).*no step/);
    assert.doesNotMatch(level, /% at [0-9a-f]{7}/);
    assert.match(
      section(html, 'logreg / fit / rows=2;cols=10'),
      /No run of this cell in the store on the first-parent history of main/,
    );
  });

  it('a counted row gets a second chart, of estimated cycles per call, with its exact step marked', async () => {
    const countedStore = path.join(dir, 'counted.duckdb');
    const counted = (i: number) => ({ cycles: 1e6 * (i >= STEP_AT ? 1.005 : 1) * (1 + 1e-5 * rng.normal()), calls: 64 });
    const countedRuns = repo.main.map((sha, i) =>
      writeSyntheticRun(
        path.join(dir, 'counted-runs'),
        { runId: `c-${i}`, gitSha: sha, medians: [noisy(10)], samplesPerRow: 5, seed: i, counted: counted(i) },
        i,
      ),
    );
    const c = await openStore(countedStore, { write: true });
    await addRuns(c, countedRuns);
    c.close();
    const out = path.join(dir, 'counted.html');
    const outcome = await report(countedRuns.at(-1)!, '--out', out, '--store', countedStore, '--repo', repo.dir);
    assert.equal(outcome.code, 0, outcome.error);
    const cell = section(fs.readFileSync(out, 'utf8'), 'logreg / fit / rows=0;cols=10');
    assert.match(cell, /median time over history/);
    assert.match(cell, /estimated cycles per call over history/);
    assert.match(cell, new RegExp(`\\+0\\.5% at ${repo.main[STEP_AT].slice(0, 7)}`), 'the counted chart labels the step');
    assert.match(cell, /est\. cycles per call \(span 64\): 30 commit\(s\).*1 step\(s\)/);
  });

  it('without --store the report has no history part', async () => {
    const out = path.join(dir, 'plain.html');
    assert.equal((await report(latest, '--out', out)).code, 0);
    assert.doesNotMatch(fs.readFileSync(out, 'utf8'), /<h4>History<\/h4>/);
  });

  it('a missing store, a branch git lacks, --branch alone: one line each, exit 2, nothing written', async () => {
    const out = path.join(dir, 'never.html');
    const missing = await report(latest, '--out', out, '--store', path.join(dir, 'none.duckdb'), '--repo', repo.dir);
    assert.equal(missing.code, 2);
    assert.match(missing.error!, /none\.duckdb: no such store/);
    const branch = await report(latest, '--out', out, '--store', store, '--repo', repo.dir, '--branch', 'nope');
    assert.equal(branch.code, 2);
    assert.match(branch.error!, /cannot read the history of nope/);
    assert.doesNotMatch(branch.error!, /\n/);
    await assert.rejects(
      report(latest, '--out', out, '--branch', 'main'),
      /--branch orders the trends of a history store: give it with --store FILE/,
    );
    assert.equal(fs.existsSync(out), false);
  });
});
