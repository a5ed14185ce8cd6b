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

export function mergeRuns(runs: readonly LoadedRun[]): MergedRow[] {
  return runs.flatMap((run) => run.rows.map((row) => ({ machine: machineLabel(run.context), run, row })));
}

export function cellLabel(r: Pick<Row, 'model' | 'workload' | 'size'>): string {
  return `${r.model} / ${r.workload} / ${r.size}`;
}
