// The timing columns of a row from its samples, for our cells and an implementation's alike: one
// median, one rme, one set of percentiles, so that a column means one thing in every row.
import { latency } from '../stats/descriptive.js';
import type { Row } from '../types.js';

type TimedColumns = Pick<
  Row,
  | 'samples'
  | 'meanMs'
  | 'medianMs'
  | 'p75Ms'
  | 'p99Ms'
  | 'minMs'
  | 'maxMs'
  | 'sdMs'
  | 'rmePct'
  | 'throughput'
  | 'throughputUnit'
  | 'rawSamples'
>;

export function timedColumns(samples: readonly number[], workPerRun: number, workUnit: string): TimedColumns {
  const lat = latency(samples);
  return {
    samples: samples.length,
    ...lat,
    throughput: workPerRun / (lat.medianMs / 1000),
    throughputUnit: workUnit,
    rawSamples: [...samples],
  };
}
