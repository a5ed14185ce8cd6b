// What one run of a workload asks of its backend, measured: the kernels it executes (tfjs's profiler,
// less the ones that move no data: Reshape and Identity only relabel a buffer, and `*__op` entries
// are op scopes, not kernels), and the host synchronisations (reads of a tensor's data back to the
// host, counted on the backend's read and readSync while the run executes).
import type { Tf } from '../types.js';

const NO_WORK = new Set(['Reshape', 'Identity']);

export interface DispatchCount {
  readonly kernels: number;
  readonly hostSyncs: number;
}

export async function countDispatch(tf: Tf, run: () => Promise<void>): Promise<DispatchCount> {
  const info = await tf.profile(run);
  const kernels = info.kernels.filter((k) => !NO_WORK.has(k.name) && !k.name.endsWith('__op')).length;
  const backend = tf.backend() as unknown as Record<'read' | 'readSync', (...args: unknown[]) => unknown>;
  const original = { read: backend.read, readSync: backend.readSync };
  let hostSyncs = 0;
  let depth = 0;
  for (const method of ['read', 'readSync'] as const) {
    // A backend's read may call its own readSync: one read of the user's is one synchronisation.
    backend[method] = (...args: unknown[]) => {
      if (depth === 0) hostSyncs++;
      // Only the synchronous part nests (an async read that calls readSync does so before its first
      // await); two reads in flight at once are two synchronisations.
      depth++;
      try {
        return original[method].apply(backend, args);
      } finally {
        depth--;
      }
    };
  }
  try {
    await run();
  } finally {
    backend.read = original.read;
    backend.readSync = original.readSync;
  }
  return { kernels, hostSyncs };
}
