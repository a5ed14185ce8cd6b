// What the GAN twin tests share: the PyTorch peer's session, the twin problem on ring8 and the line a
// failing step prints. PyTorch (Debian's python3-torch) is a peer, not a test dependency.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { mixtureSample, RING8, SYNTHETIC_ROWS } from '../../src/models/gan/data.js';
import { ANCHOR_ARCHITECTURE } from '../../src/models/gan/architecture.js';
import { ganTwinProblem } from '../../src/models/gan/gan-twin.js';
import { ANCHOR_TRAINING } from '../../src/models/gan/model.js';
import type { TwinProblem, TwinRow } from '../../src/models/twin.js';
import { PEER_PYTHON } from '../../src/protocol/bundled.js';
import { limitsFrom, parseImplOption } from '../../src/protocol/implementation.js';
import { missingSandbox } from '../../src/protocol/sandbox.js';
import { Session } from '../../src/protocol/session.js';
import { Rng, seedsFrom } from '../../src/seeds.js';

export const HAS_TORCH = spawnSync(PEER_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

export async function startPytorch(): Promise<Session> {
  const sandbox = missingSandbox('') ? 'none' : 'bwrap';
  const impl = parseImplOption('pytorch-1-thread', limitsFrom({ timeoutMs: 120_000, memoryMb: 8192, sandbox }));
  return Session.start(impl, () => {});
}

/** The anchor networks and Adam on ring8 at a small batch (the algorithm is the same at any batch; the
 *  test stays within seconds), from the given base seed. */
/** The PyTorch peer's session for one describe block: started before its tests (where torch is), closed after. */
export function pytorchForBlock(): () => Session {
  let session: Session | undefined;
  beforeAll(async () => {
    if (HAS_TORCH) session = await startPytorch();
  });
  afterAll(async () => {
    await session?.close();
  });
  return () => session!;
}

export function ringTwin(seed: number, steps: number, batchSize = 64): TwinProblem {
  const seeds = seedsFrom(seed);
  const data = mixtureSample(RING8, SYNTHETIC_ROWS, new Rng(seeds.data), 'ring8');
  return ganTwinProblem(
    data,
    { architecture: ANCHOR_ARCHITECTURE, training: ANCHOR_TRAINING, batchSize, steps },
    seeds,
  );
}

export function describeRow(r: TwinRow | undefined): string {
  if (!r) return 'none';
  const values = `ours ${r.value_ours}, theirs ${r.value_theirs}`;
  return `step ${r.step}: ${r.worst_tensor} ${r.worst_rel.toExponential(2)}, V ${r.value_rel.toExponential(2)} (${values})`;
}
