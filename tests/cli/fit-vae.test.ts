// `modelbench fit --model vae` on a user's feature-only CSV: results, the oracle's verdict, and refusals.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { Rng } from '../../src/seeds.js';
import { modelbench } from '../helpers/cli.js';

function pixelCsv(rows: number, cols: number, bad?: { row: number; col: number; value: number }): string {
  const rng = new Rng(5);
  const lines = [Array.from({ length: cols }, (_, j) => `p${j}`).join(',')];
  for (let r = 0; r < rows; r++) lines.push(Array.from({ length: cols }, (_, j) => (bad && bad.row === r && bad.col === j ? bad.value : rng.uniform().toFixed(3))).join(','));
  return lines.join('\n') + '\n';
}

describe('fit --model vae', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-fit-'));

  it('fits a CSV of values in [0, 1], holds out the last 10% as the test set, and agrees with the float64 recomputation', () => {
    const file = path.join(dir, 'pixels.csv');
    fs.writeFileSync(file, pixelCsv(200, 6));
    const r = modelbench(['fit', '--model', 'vae', '--data', file, '--hidden', '8', '--latent', '2', '--epochs', '3', '--batch', '32', '--backend', 'cpu', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.train_rows, 180);
    assert.equal(report.test_rows, 20);
    assert.equal(report.trace.length, 3);
    assert.ok(Number.isFinite(report.test_elbo) && Number.isFinite(report.test_iwae));
    assert.ok(report.judged_relative_error <= 1e-3, `${report.judged_relative_error}`);
    assert.match(r.stderr, /\[\d+\/\d+\] epoch 3\/3/);
  });

  it('refuses a value outside [0, 1] for the Bernoulli likelihood, naming the line and column', () => {
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, pixelCsv(50, 4, { row: 6, col: 2, value: 2.5 }));
    const r = modelbench(['fit', '--model', 'vae', '--data', file, '--hidden', '4', '--latent', '2', '--backend', 'cpu']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /row 7 \(line 8 of a CSV\), column 'p2': 2\.5 is outside \[0, 1\].*--likelihood gaussian/);
  });

  it('names the datasets it knows when --data is neither a file nor one of them', () => {
    const r = modelbench(['fit', '--model', 'vae', '--data', 'mnist-digits']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no such file, and not a dataset vae knows by name \(fashion-mnist, linear-gaussian\)/);
  });

  it('refuses an unknown likelihood', () => {
    const r = modelbench(['fit', '--model', 'vae', '--data', 'linear-gaussian', '--likelihood', 'poisson', '--backend', 'cpu']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--likelihood must be bernoulli or gaussian, got 'poisson'/);
  });
});
