// Twin trajectories of the VAE on wasm, longer than the cpu twin of the default tier: ours (XNNPACK's
// float32 kernels) and the bundled PyTorch VAE from the same parameters, Fashion-MNIST batches and noise.
import assert from 'node:assert/strict';
import { it } from 'vitest';
import { TWIN_TOLERANCE } from '../../src/models/twin.js';
import { describeEachBackend } from '../helpers/each-backend.js';
import { describeRow, HAS_TORCH, pytorchForBlock } from './twin-peer.js';
import { assertOneSeedAgrees } from './twin-seeds.js';
import { imageTwin } from './vae-twin-setup.js';

/**
 * Seeds of the wasm twin. A float32 event (a pixel column whose gradient cancels to near Adam's epsilon, see
 * vae-twin.test.ts) depends on the host's kernels: seed 3 had none in 200 steps on one machine and one at step 3 on
 * an AMD EPYC host (one entry of enc.w 1.05e-5 apart), where seeds 4 and 6 had none (at most 1.9e-6 and 3.1e-6) and
 * seeds 1 and 2 one at step 1. So no seed is trusted alone: at least one must agree entry by entry for all 200 steps
 * (tfjs's own Adam, float32 bias correction, was past it from step 3 on seed 3, from step 6 on cpu), and every seed
 * must agree on the loss and on each layer as a whole (2-norm: one tipped entry moves it little; measured at most
 * 6.8e-7 over the first 200 steps of seeds 1-4 and 6) for its first steps, where a difference of algorithm shows.
 */
const WASM_SEEDS = [3, 4, 6];
const STEPS = 200;
const FIRST_STEPS = 5;

describeEachBackend(
  'VAE twin trajectories against PyTorch, longer',
  (b) => {
    const pytorch = pytorchForBlock();

    it.skipIf(!HAS_TORCH)(`agrees within ${TWIN_TOLERANCE} for ${STEPS} steps (needs python3-torch)`, () =>
      assertOneSeedAgrees(b.tf, pytorch, WASM_SEEDS, (seed) => imageTwin(seed, STEPS), (report, seed) => {
        const early = report.rows
          .slice(0, FIRST_STEPS)
          .find((r) => r.value_rel > TWIN_TOLERANCE || r.norm_rel > TWIN_TOLERANCE);
        assert.equal(early, undefined, `seed ${seed}: the loss or a layer parts early: ${describeRow(early)}`);
      }),
    );
  },
  { only: ['wasm'] },
);
