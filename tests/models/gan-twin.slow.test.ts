// Twin trajectories of the GAN on wasm, longer than the cpu twin of the default tier: ours (XNNPACK's
// float32 kernels) and the bundled PyTorch GAN from the same parameters, batches and noise.
import assert from 'node:assert/strict';
import { it } from 'vitest';
import { firstDivergence, TWIN_TOLERANCE } from '../../src/models/twin.js';
import { describeEachBackend } from '../helpers/each-backend.js';
import { describeRow, HAS_TORCH, pytorchForBlock } from './twin-peer.js';
import { ringTwin } from './gan-twin-setup.js';
import { assertOneSeedAgrees } from './twin-seeds.js';

/**
 * Seeds of the wasm twin. A float32 event (a ReLU input or a gradient that rounding tips one way on one side and the
 * other way on the other; see gan-twin.test.ts) depends on the host's kernels: seed 1 had none in its first 80 steps
 * on one machine and one at step 6 on an AMD EPYC host. So no seed is trusted alone: every seed must agree for its
 * first steps (a difference of algorithm shows from step 1), and at least one for all 80.
 */
const WASM_SEEDS = [1, 2, 3];
const STEPS = 80;
const FIRST_STEPS = 5;

describeEachBackend(
  'GAN twin trajectories against PyTorch, longer',
  (b) => {
    const pytorch = pytorchForBlock();

    it.skipIf(!HAS_TORCH)(`agrees within ${TWIN_TOLERANCE} for ${STEPS} steps (needs python3-torch)`, () =>
      assertOneSeedAgrees(b.tf, pytorch, WASM_SEEDS, (seed) => ringTwin(seed, STEPS), (report, seed) => {
        const first = firstDivergence(report, TWIN_TOLERANCE);
        assert.ok(!first || first.step > FIRST_STEPS, `seed ${seed}: first step past ${TWIN_TOLERANCE}: ${describeRow(first)}`);
      }),
    );
  },
  { only: ['wasm'] },
);
