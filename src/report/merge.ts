// Many runs from many machines, as one long table: one entry per (machine, run, row).
import type { LoadedRun } from '../compare/load-runs.js';
import type { RunContext } from './context.js';
import type { Row } from '../types.js';

export interface MergedRow {
  readonly machine: string;
  readonly run: LoadedRun;
  readonly row: Row;
}

/** How a machine is named in reports: its host and processor. */
export function machineLabel(c: RunContext): string {
  return `${c.host} (${c.cpuModel} x${c.cpuCores})`;
}

/**
 * One entry per (machine, run, row). Runs of different commits on one machine are different series
 * ("host (cpu xN) @ abc1234"): pooling them would average two builds into one bar.
 */
export function mergeRuns(runs: readonly LoadedRun[]): MergedRow[] {
  const commits = new Map<string, Set<string>>();
  for (const run of runs) commits.set(machineLabel(run.context), (commits.get(machineLabel(run.context)) ?? new Set()).add(commitLabel(run.context)));
  const series = (c: RunContext) => (commits.get(machineLabel(c))!.size > 1 ? `${machineLabel(c)} @ ${commitLabel(c)}` : machineLabel(c));
  return runs.flatMap((run) => run.rows.map((row) => ({ machine: series(run.context), run, row })));
}

export function commitLabel(c: RunContext): string {
  return `${c.gitSha.slice(0, 7)}${c.gitDirty ? ' (dirty)' : ''}`;
}

export function cellLabel(r: Pick<Row, 'model' | 'workload' | 'size'>): string {
  return `${r.model} / ${r.workload} / ${r.size}`;
}
