// What every twin test shares: the PyTorch peer's session for a describe block, and the line a failing step
// prints. PyTorch (Debian's python3-torch) is a peer, not a test dependency.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import type { TwinRow } from '../../src/models/twin.js';
import { PEER_PYTHON } from '../../src/protocol/bundled.js';
import { limitsFrom, parseImplOption } from '../../src/protocol/implementation.js';
import { missingSandbox } from '../../src/protocol/sandbox.js';
import { Session } from '../../src/protocol/session.js';

export const HAS_TORCH = spawnSync(PEER_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

export async function startPytorch(): Promise<Session> {
  const sandbox = missingSandbox('') ? 'none' : 'bwrap';
  const impl = parseImplOption('pytorch-1-thread', limitsFrom({ timeoutMs: 120_000, memoryMb: 8192, sandbox }));
  return Session.start(impl, () => {});
}

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

export function describeRow(r: TwinRow | undefined): string {
  if (!r) return 'none';
  const values = `ours ${r.value_ours}, theirs ${r.value_theirs}`;
  return `step ${r.step}: ${r.worst_tensor} ${r.worst_rel.toExponential(2)}, V ${r.value_rel.toExponential(2)} (${values})`;
}
