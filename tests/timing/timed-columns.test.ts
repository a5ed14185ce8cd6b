// One statistics for every row: an implementation's row, timed through the protocol, and our row
// built by the cell path from the very same samples have the same median, rme and percentiles.
import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'vitest';
import { cpuBackend } from '../../src/backends/cpu.js';
import { bundledByName } from '../../src/protocol/bundled.js';
import { limitsFrom } from '../../src/protocol/implementation.js';
import { seedsFrom } from '../../src/seeds.js';
import { runImplCells } from '../../src/timing/impl-cell.js';
import { baseRow, completeCell } from '../../src/timing/run-cell.js';
import type { Cell } from '../../src/timing/suite.js';
import { REPO } from '../helpers/data.js';

const COLUMNS = ['samples', 'meanMs', 'medianMs', 'p75Ms', 'p99Ms', 'minMs', 'maxMs', 'sdMs', 'rmePct', 'throughput'] as const;

it('an implementation row and our row from the same samples agree in every timing column', async () => {
  const cell: Cell = { model: 'logreg', workload: 'predict', size: { rows: 200, cols: 4 } };
  const seeds = seedsFrom(7);
  const bundled = bundledByName('ml-logistic-regression')!;
  const impl = { name: 'ml', target: path.join(REPO, 'implementations/ml-logistic-regression.mjs'), limits: limitsFrom({ timeoutMs: 60_000, memoryMb: 1024, sandbox: 'bwrap', env: bundled.env }) };
  const [implRow] = await runImplCells([impl], cell, seeds, { timeMs: 30, minIterations: 8, warmupIterations: 1 }, () => {});
  assert.equal(implRow.status === 'ok' || implRow.status === 'check-failed', true, implRow.error);
  const samples = implRow.rawSamples!;
  assert.ok(samples.length >= 8);

  const { tf, runtime } = await cpuBackend.activate();
  const prepared = {
    workPerRun: 200,
    workUnit: 'rows/s',
    run: async () => {},
    check: async () => ({ objectiveName: 'x', modelValue: 1, oracleValue: 1, tolerance: 1e-6, passed: true }),
    dispose: () => {},
  };
  const open = { row: baseRow(cell, runtime, seeds), prepared, run: prepared.run, sampleScale: 1, tensorsBefore: tf.memory().numTensors };
  const ours = await completeCell(tf, open, samples);
  for (const column of COLUMNS) assert.equal(ours[column], implRow[column], column);
});
