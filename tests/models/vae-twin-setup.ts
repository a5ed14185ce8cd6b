// The VAE twin problem on images: the committed Fashion-MNIST subset through a narrow network, where
// tfjs's float32 bias correction in Adam shows within a few steps (uniform data hides it: every update
// is then about 6.5e-6 short, below the tolerance for hundreds of steps).
import assert from 'node:assert/strict';
import { loadFashionMnistFixture } from '../../src/data/fashion-mnist.js';
import { firstDivergence, runTwin, TWIN_TOLERANCE, type TwinProblem } from '../../src/models/twin.js';
import type { ImplSession } from '../../src/protocol/workload-types.js';
import type { Tf } from '../../src/types.js';
import { vaeTwinProblem } from '../../src/models/vae/vae-twin.js';
import { seedsFrom } from '../../src/seeds.js';
import { describeRow } from './twin-peer.js';

/** 784-64-8 Bernoulli at batch 64: a step costs milliseconds on cpu, and the first layer sees real pixels. */
const IMAGE_ARCHITECTURE = {
  input: 784,
  hidden: 64,
  latent: 8,
  likelihood: 'bernoulli',
  gaussianVariance: 'learned',
} as const;

export function imageTwin(seed: number, steps: number): TwinProblem {
  const { train } = loadFashionMnistFixture();
  return vaeTwinProblem(train, { architecture: IMAGE_ARCHITECTURE, batchSize: 64, steps }, seedsFrom(seed));
}

/** Runs the twin and fails on the implementation's error or the first step past TWIN_TOLERANCE, naming it. */
export async function assertTwinAgrees(tf: Tf, session: ImplSession, problem: TwinProblem): Promise<void> {
  const report = await runTwin(tf, session, problem);
  assert.equal(report.error, undefined, report.error);
  assert.equal(report.rows.length, problem.steps);
  const first = firstDivergence(report, TWIN_TOLERANCE);
  assert.equal(first, undefined, `first step past ${TWIN_TOLERANCE}: ${describeRow(first)}`);
}
