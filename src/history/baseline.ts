// `compare CANDIDATE --baseline-from STORE --ref R`: the gate's baseline runs chosen from the store,
// for the candidate's suite and testbed (another testbed's runs would measure the machines: only with
// --across-testbeds), at the commits --ref names. Runs of a dirty checkout measure no commit and the
// candidate's own runs are never its baseline: both are left out.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RunContext } from '../results/context.js';
import type { LoadedRun } from '../results/load-runs.js';
import { PRE_TESTBED } from '../results/testbed.js';
import { testbedOf } from '../results/testbed-diff.js';
import type { BaselineCommit, BaselineCommits } from './baseline-ref.js';
import { sqlString } from './schema.js';
import { readStoredRuns } from './stored-runs.js';
import { duckdbReason } from './store.js';
import { HistoryError } from '../errors.js';

export interface BaselineQuery {
  /** The store's file name, as the lines name it. */
  readonly store: string;
  readonly candidate: readonly RunContext[];
  readonly commits: BaselineCommits;
  readonly acrossTestbeds: boolean;
}

export interface StoredRun {
  readonly runId: string;
  readonly sha: string;
  readonly testbed: string;
}

export interface ChosenBaseline {
  readonly runs: readonly LoadedRun[];
  readonly chosen: readonly (StoredRun & { readonly commit: BaselineCommit })[];
  /** One line: which runs, at which commits. */
  readonly line: string;
}

/** A run's commit among the candidates: its full sha, or an abbreviation of at least 7 characters. */
function commitIndex(commits: readonly BaselineCommit[], sha: string): number {
  if (sha.length < 7) return -1;
  return commits.findIndex((c) => c.sha === sha || (sha.length < 40 && c.sha.startsWith(sha)));
}

/** Every finished, clean run of the suite in the store (any testbed), with its testbed as compare names it. */
async function suiteRuns(
  connection: DuckDBConnection,
  suite: string,
  exclude: readonly string[],
): Promise<StoredRun[]> {
  const testbed = `coalesce(c.context->'$.testbed'->>'id', ${sqlString(`${PRE_TESTBED}: `)} || u.machine)`;
  const sql =
    `SELECT u.run_id, u.git_sha, ${testbed} FROM runs u JOIN context c USING (run_id) WHERE u.suite = $suite ` +
    `AND u.git_dirty IS NOT TRUE ORDER BY u.timestamp, u.run_id`;
  try {
    const rows = (await connection.runAndReadAll(sql, { suite })).getRowsJS();
    return rows
      .map((r) => ({ runId: String(r[0]), sha: String(r[1] ?? ''), testbed: String(r[2]) }))
      .filter((r) => !exclude.includes(r.runId));
  } catch (e) {
    throw new HistoryError(
      `cannot read the store's runs (${duckdbReason(e)}); give a store written by \`modelbench history add\``,
    );
  }
}

/** The runs at the first `take` commits (newest first) that have any. */
function atCommits(runs: readonly StoredRun[], commits: readonly BaselineCommit[], take: number) {
  const placed = runs.map((r) => ({ ...r, index: commitIndex(commits, r.sha) })).filter((r) => r.index >= 0);
  const used = [...new Set(placed.map((r) => r.index))].sort((a, b) => a - b).slice(0, take);
  return placed.filter((r) => used.includes(r.index)).map((r) => ({ ...r, commit: commits[r.index] }));
}

function noRunLine(q: BaselineQuery, suite: string, testbed: string, elsewhere: readonly StoredRun[]): string {
  const on = q.acrossTestbeds ? 'on any testbed' : `on testbed ${testbed}`;
  const others = [...new Set(elsewhere.map((r) => r.testbed))];
  const hint =
    !q.acrossTestbeds && others.length > 0
      ? `the store has ${elsewhere.length} there on other testbeds (${others.slice(0, 3).join(', ')}): ` +
        '--across-testbeds takes them, or '
      : '';
  return (
    `--baseline-from ${q.store}: no run of suite '${suite}' ${on} at ${q.commits.what}; ` +
    `${hint}add the baseline's run folders with ` +
    `\`modelbench history add RUN --store ${q.store}\`, or choose another --ref (merge-base, main~N, window:K)`
  );
}

function chosenLine(q: BaselineQuery, chosen: ChosenBaseline['chosen']): string {
  const commits = [...new Set(chosen.map((c) => c.commit.sha))];
  const ids = chosen.map((c) => c.runId);
  const shown = ids.length > 4 ? `${ids.slice(0, 4).join(', ')}, ... (${ids.length})` : ids.join(', ');
  const testbeds = [...new Set(chosen.map((c) => c.testbed))].join(', ');
  return (
    `baseline from ${q.store}: ${chosen.length} run(s) at ${commits.length} commit(s) ` +
    `(${commits.map((s) => s.slice(0, 7)).join(', ')}) on ${testbeds}, ${q.commits.what}: ${shown}`
  );
}

/** Chooses and reads back the baseline runs, or says in one line what was looked for and the fix. */
export async function chooseBaseline(connection: DuckDBConnection, q: BaselineQuery): Promise<ChosenBaseline> {
  const suite = q.candidate[0].suite;
  const testbed = testbedOf(q.candidate[0]);
  const all = await suiteRuns(
    connection,
    suite,
    q.candidate.map((c) => c.runId),
  );
  const own = atCommits(
    all.filter((r) => r.testbed === testbed),
    q.commits.commits,
    q.commits.take,
  );
  // Across testbeds, the candidate's own testbed still comes first: it is the fairer baseline.
  const chosen = own.length > 0 || !q.acrossTestbeds ? own : atCommits(all, q.commits.commits, q.commits.take);
  if (chosen.length === 0) {
    throw new HistoryError(noRunLine(q, suite, testbed, atCommits(all, q.commits.commits, q.commits.take)));
  }
  const testbeds = [...new Set(chosen.map((c) => c.testbed))];
  if (testbeds.length > 1) {
    throw new HistoryError(
      `--baseline-from ${q.store}: the runs at ${q.commits.what} come from ${testbeds.length} other testbeds ` +
        `(${testbeds.join(', ')}), and pooling them would mix machines; choose a --ref whose commits one testbed ran ` +
        "(or add the candidate's testbed's runs)",
    );
  }
  const runs = await readStoredRuns(
    connection,
    chosen.map((c) => c.runId),
    q.store,
  );
  return { runs, chosen, line: chosenLine(q, chosen) };
}
