// Synthetic saved runs for compare/report tests: real files written by the real RunWriter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeContext, type RunContext } from '../../src/results/context.js';
import { RunWriter } from '../../src/results/run-writer.js';
import { Rng, seedsFrom } from '../../src/seeds.js';
import type { Row } from '../../src/types.js';
import { summaryText } from '../../src/present/summary.js';

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-runs-'));
}

/** Log-normal-ish latencies around `median` ms with 3% spread, seeded. */
export function latencies(median: number, n: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => median * Math.exp(0.03 * rng.normal()));
}

export function row(partial: Partial<Row> & Pick<Row, 'workload' | 'backend'>, samples: number[]): Row {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return {
    model: 'logreg',
    size: 'rows=100;cols=3',
    backendVersion: '4.22.0',
    device: 'test CPU',
    deviceKind: 'cpu',
    status: 'ok',
    samples: samples.length,
    medianMs: median,
    meanMs: median,
    throughput: 100 / (median / 1000),
    throughputUnit: 'rows/s',
    objectiveName: 'J',
    objective: 10,
    oracleObjective: 10,
    relError: 0,
    tolerance: 1e-3,
    check: 'pass',
    seedData: 1,
    seedInit: 2,
    seedSampling: 3,
    rawSamples: samples,
    ...partial,
  };
}

let clock = Date.UTC(2026, 0, 1);

/** A finished run (as `modelbench run` leaves it), or with `incomplete`, one that stopped half-way. */
export function writeRun(parent: string, rows: Row[], context: Partial<RunContext> = {}, incomplete = false): string {
  const base = makeContext('quick', 1, seedsFrom(1), {}, new Date((clock += 1000)));
  const ctx = { ...base, ...context, runId: `${base.runId}-${Math.round(clock / 1000)}` } as RunContext;
  const writer = new RunWriter(parent, ctx, summaryText);
  for (const r of rows) writer.add(r);
  if (!incomplete) writer.finish();
  return writer.files.dir;
}
