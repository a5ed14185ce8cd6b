// The GAN twin tests' problem: the anchor networks and Adam on ring8 (the PyTorch peer's session and the line a
// failing step prints: twin-peer.ts).
import { mixtureSample, RING8, SYNTHETIC_ROWS } from '../../src/models/gan/data.js';
import { ANCHOR_ARCHITECTURE } from '../../src/models/gan/architecture.js';
import { ganTwinProblem } from '../../src/models/gan/gan-twin.js';
import { ANCHOR_TRAINING } from '../../src/models/gan/model.js';
import type { TwinProblem } from '../../src/models/twin.js';
import { Rng, seedsFrom } from '../../src/seeds.js';

/** The anchor networks and Adam on ring8 at a small batch (the algorithm is the same at any batch; the
 *  test stays within seconds), from the given base seed. */
export function ringTwin(seed: number, steps: number, batchSize = 64): TwinProblem {
  const seeds = seedsFrom(seed);
  const data = mixtureSample(RING8, SYNTHETIC_ROWS, new Rng(seeds.data), 'ring8');
  return ganTwinProblem(
    data,
    { architecture: ANCHOR_ARCHITECTURE, training: ANCHOR_TRAINING, batchSize, steps },
    seeds,
  );
}
