// Pools repeats of one build: rows matched by key, samples concatenated, the worst status kept.
import { quantile } from './descriptive.js';
import type { Row, RowStatus } from '../types.js';
import { rowKey, type LoadedRun } from '../results/load-runs.js';

const STATUS_ORDER: readonly RowStatus[] = ['ok', 'unavailable', 'check-failed', 'errored'];

export interface PooledSide {
  readonly runs: readonly LoadedRun[];
  readonly rows: ReadonlyMap<string, Row>;
  /** Per row, the median of each run (process) that timed it: the spread between them is process-level noise. */
  readonly runMedians: ReadonlyMap<string, readonly number[]>;
}

export function pool(runs: readonly LoadedRun[]): PooledSide {
  const rows = new Map<string, Row>();
  const runMedians = new Map<string, number[]>();
  for (const run of runs) {
    for (const r of run.rows) {
      const key = rowKey(r);
      if (r.rawSamples && r.rawSamples.length > 0) {
        runMedians.set(key, [
          ...(runMedians.get(key) ?? []),
          quantile(
            [...r.rawSamples].sort((a, b) => a - b),
            0.5,
          ),
        ]);
      }
      const seen = rows.get(key);
      if (!seen) {
        rows.set(key, { ...r, rawSamples: [...(r.rawSamples ?? [])] });
        continue;
      }
      seen.rawSamples!.push(...(r.rawSamples ?? []));
      if (STATUS_ORDER.indexOf(r.status) > STATUS_ORDER.indexOf(seen.status)) {
        seen.status = r.status;
        seen.error = r.error;
      }
    }
  }
  for (const r of rows.values()) {
    const s = [...r.rawSamples!].sort((a, b) => a - b);
    r.samples = s.length;
    if (s.length > 0) r.medianMs = quantile(s, 0.5);
  }
  return { runs, rows, runMedians };
}
