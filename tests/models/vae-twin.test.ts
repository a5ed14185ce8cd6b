// Twin trajectories of the VAE on cpu: ours and the bundled PyTorch VAE from the same parameters,
// batches and reparameterisation noise (a small Bernoulli VAE on uniform [0, 1] data).
import assert from 'node:assert/strict';
import { it } from 'vitest';
import { firstDivergence, runTwin, TWIN_TOLERANCE } from '../../src/models/twin.js';
import { vaeTwinProblem } from '../../src/models/vae/vae-twin.js';
import { Rng, seedsFrom } from '../../src/seeds.js';
import type { Dataset } from '../../src/types.js';
import { describeEachBackend } from '../helpers/each-backend.js';
import { describeRow, HAS_TORCH, pytorchForBlock } from './gan-twin-setup.js';

/** 100 steps: measured at most 1.7e-6 (no ReLU of this VAE sits at zero, no gradient at Adam's epsilon). */
const STEPS = 100;

function uniformData(rows: number, cols: number): Dataset {
  const rng = new Rng(5);
  const x = Float64Array.from({ length: rows * cols }, () => rng.uniform());
  return { name: 'uniform', rows, cols, x, y: new Float64Array(rows), featureNames: [] };
}

describeEachBackend(
  'VAE twin trajectories against PyTorch',
  (b) => {
    const pytorch = pytorchForBlock();

    it.skipIf(!HAS_TORCH)(`agrees within ${TWIN_TOLERANCE} for ${STEPS} steps (needs python3-torch)`, async () => {
      const architecture = {
        input: 64,
        hidden: 32,
        latent: 4,
        likelihood: 'bernoulli',
        gaussianVariance: 'learned',
      } as const;
      const p = vaeTwinProblem(uniformData(1000, 64), { architecture, batchSize: 64, steps: STEPS }, seedsFrom(3));
      const report = await runTwin(b.tf, pytorch(), p);
      assert.equal(report.error, undefined, report.error);
      assert.equal(report.rows.length, STEPS);
      const first = firstDivergence(report, TWIN_TOLERANCE);
      assert.equal(first, undefined, `first step past ${TWIN_TOLERANCE}: ${describeRow(first)}`);
    });
  },
  { only: ['cpu'] },
);
