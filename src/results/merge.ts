// Many runs from many machines, as one long table: one entry per (series, run, row), where a series
// is a testbed, split by host and by commit where those differ within it.
import type { LoadedRun } from './load-runs.js';
import type { RunContext } from './context.js';
import { testbedOf } from './testbed-diff.js';
import type { Row } from '../types.js';

export { machineLabel } from './testbed-diff.js';

export interface MergedRow {
  /** The series it is shown in (a column group of the report). */
  readonly machine: string;
  /** Its testbed: the id, or the pre-testbed label. */
  readonly testbed: string;
  readonly run: LoadedRun;
  readonly row: Row;
}

function collect(
  runs: readonly LoadedRun[],
  key: (c: RunContext) => string,
  value: (c: RunContext) => string,
): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const { context: c } of runs) m.set(key(c), (m.get(key(c)) ?? new Set()).add(value(c)));
  return m;
}

/**
 * One entry per (series, run, row). A testbed named by `run --testbed` pools every host that ran under
 * the name; an automatic one (a hardware hash) keeps hosts apart ("tb-... on host"), since a hash cannot
 * see a neighbour's load or a thermal limit. Runs of different commits are different series ("... @
 * abc1234"): pooling them would average two builds into one bar.
 */
export function mergeRuns(runs: readonly LoadedRun[]): MergedRow[] {
  const hosts = collect(runs, testbedOf, (c) => c.host);
  const byHost = (c: RunContext) =>
    c.testbed && !c.testbed.named && hosts.get(testbedOf(c))!.size > 1 ? `${testbedOf(c)} on ${c.host}` : testbedOf(c);
  const commits = collect(runs, byHost, commitLabel);
  const series = (c: RunContext) => (commits.get(byHost(c))!.size > 1 ? `${byHost(c)} @ ${commitLabel(c)}` : byHost(c));
  return runs.flatMap((run) => {
    const machine = series(run.context);
    const testbed = testbedOf(run.context);
    return run.rows.map((row) => ({ machine, testbed, run, row }));
  });
}

export function commitLabel(c: RunContext): string {
  return `${c.gitSha.slice(0, 7)}${c.gitDirty ? ' (dirty)' : ''}`;
}

export function cellLabel(r: Pick<Row, 'model' | 'workload' | 'size'>): string {
  return `${r.model} / ${r.workload} / ${r.size}`;
}
