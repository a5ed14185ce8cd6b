// Many synthetic run folders, written as the run writer writes them (its own resultsCsv and
// samplesCsv, results.json as {context, rows}) but once per run rather than after every row.
import fs from 'node:fs';
import path from 'node:path';
import { makeContext, type RunContext } from '../../src/results/context.js';
import { resultsCsv, samplesCsv } from '../../src/results/run-writer.js';
import { Rng, seedsFrom } from '../../src/seeds.js';
import type { Row } from '../../src/types.js';
import { row } from '../helpers/runs.js';

export interface SyntheticRun {
  readonly runId: string;
  readonly gitSha: string;
  readonly host?: string;
  readonly gitDirty?: boolean;
  readonly complete?: boolean;
  /** Median time of each row, ms; row i is logreg/fit/rows=<i>;cols=10/cpu. */
  readonly medians: readonly number[];
  readonly samplesPerRow: number;
  readonly seed: number;
  /** The objective of every row (a quality series). */
  readonly objective?: number;
  /** The testbed's name (this machine's hardware, renamed): two names are two testbeds. */
  readonly testbed?: string;
  readonly suite?: string;
  /** Counted rows (run --measure instructions): estimated cycles per call over a span of `calls`. */
  readonly counted?: { readonly cycles: number; readonly calls: number };
  /** Fields set on every row (results.json-only ones: expectedFailure, burstMedians, objectiveAtOptimum). */
  readonly extras?: Partial<Row>;
}

const BASE = makeContext('synthetic', 1, seedsFrom(1), {}, new Date(Date.UTC(2026, 0, 1)));

export function syntheticRows(run: SyntheticRun): Row[] {
  const rng = new Rng(run.seed);
  return run.medians.map((median, i) => {
    const samples = Array.from({ length: run.samplesPerRow }, () => median * Math.exp(0.02 * rng.normal())).sort((a, b) => a - b);
    const cell = { workload: 'fit', backend: 'cpu', size: `rows=${i};cols=10`, implementation: 'modelbench' };
    const counted = run.counted ? {
      estCyclesPerCall: run.counted.cycles, instructionsPerCall: Math.round(0.9 * run.counted.cycles), countSpreadPct: 0.05,
      countedCalls: run.counted.calls, countedProcesses: 3,
      cycleSamples: [0.9997, 1, 1.0002].map((f) => f * run.counted!.cycles),
      instructionSamples: [0.9999, 1, 1.0001].map((f) => Math.round(0.9 * f * run.counted!.cycles)),
    } : {};
    return row({ ...cell, medianMs: median, objective: run.objective ?? 10, ...counted, ...run.extras }, samples);
  });
}

/** Writes one run folder under `parent` and returns its path. */
export function writeSyntheticRun(parent: string, run: SyntheticRun, index: number): string {
  const context: RunContext = {
    ...BASE,
    runId: run.runId,
    timestamp: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
    gitSha: run.gitSha,
    gitDirty: run.gitDirty ?? false,
    host: run.host ?? 'bench-1',
    cpuModel: 'Synthetic CPU',
    cpuCores: 2,
    complete: run.complete ?? true,
    suite: run.suite ?? BASE.suite,
    ...(run.testbed ? { testbed: { ...BASE.testbed!, id: run.testbed, named: true } } : {}),
  };
  const rows = syntheticRows(run);
  const dir = path.join(parent, run.runId);
  fs.mkdirSync(dir, { recursive: true });
  const jsonRows = rows.map(({ rawSamples: _omit, ...rest }) => rest);
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify({ context, rows: jsonRows }, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'results.csv'), resultsCsv(context, rows));
  fs.writeFileSync(path.join(dir, 'samples.csv'), samplesCsv(context, rows));
  return dir;
}
