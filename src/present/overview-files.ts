// The overview matrix as files for people who plot it themselves: a long CSV (one line per cell and
// column) and a JSON of the columns, rows and geometric means.
import { stringify } from 'csv-stringify/sync';
import type { Overview } from './overview.js';

export const OVERVIEW_CSV_COLUMNS = [
  'model',
  'workload',
  'size',
  'series',
  'testbed',
  'backend',
  'baseline',
  'state',
  'check_failed',
  'throughput',
  'throughput_unit',
  'samples',
  'runs',
  'ratio',
  'ratio_low',
  'ratio_high',
] as const;

const text = (v: string | number | boolean | undefined) => (v === undefined ? '' : String(v));

export function overviewCsv(o: Overview): string {
  const lines = o.rows.flatMap((r) =>
    r.cells.map((c, j) => {
      const col = o.columns[j];
      const where = [r.model, r.workload, r.size, col.series, col.testbed, col.backend, j === o.baseline];
      return [...where, c.state, c.checkFailed, c.throughput, c.unit, c.samples, c.runs, c.ratio, c.low, c.high].map(
        text,
      );
    }),
  );
  return stringify([[...OVERVIEW_CSV_COLUMNS], ...lines]);
}

export function overviewJson(o: Overview): string {
  const baseline = o.columns[o.baseline];
  const doc = {
    baseline: baseline ?? null,
    interval: {
      level: o.level,
      draws: o.draws,
      seed: o.seed,
      of: 'throughput ratio (ratio of median latencies), percentile bootstrap',
    },
    columns: o.columns.map((c, j) => ({ ...c, geomean: o.geomean[j].ratio ?? null, geomeanCells: o.geomean[j].cells })),
    rows: o.rows.map((r) => ({ model: r.model, workload: r.workload, size: r.size, cells: r.cells })),
    unavailable: o.unavailable,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
