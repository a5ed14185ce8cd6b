// The child process for one backend: activates it, runs the cells it is sent, reports rows.
// One backend per process: tfjs-node and tfjs-node-gpu cannot share one, a crash stays contained,
// and every backend starts with clean memory.
import { backendByName } from '../backends/registry.js';
import { BackendUnavailable } from '../types.js';
import type { ChildMessage, ParentMessage } from './protocol.js';
import { CEILING_GFLOPS, CEILING_SIZE, measureCeiling } from './ceiling.js';
import { errorMessage, findWorkload, runCell, withCeiling } from './run-cell.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, (e: Error | null) => (e ? reject(e) : resolve())));
}

async function handle(message: ParentMessage): Promise<void> {
  const spec = backendByName(message.backend);
  if (!spec) throw new Error(`unknown backend ${message.backend}`);
  let active;
  try {
    active = await spec.activate();
  } catch (e) {
    if (e instanceof BackendUnavailable) await send({ type: 'unavailable', reason: e.reason, fix: e.fix });
    else await send({ type: 'unavailable', reason: `failed to start: ${errorMessage(e)}`, fix: 'see the error above; run `modelbench backends` for details' });
    return;
  }
  if (message.kind === 'probe') {
    await send({ type: 'runtime', runtime: active.runtime });
  } else if (message.ceiling) {
    const ceiling = message.ceiling;
    const runtime = { ...active.runtime, details: { ...active.runtime.details, [CEILING_GFLOPS]: String(ceiling.gflops), [CEILING_SIZE]: String(ceiling.n) } };
    await send({ type: 'runtime', runtime });
    for (const [index, cell] of message.cells.entries()) {
      await send({ type: 'cell-start', index });
      await send({ type: 'row', index, row: await runCell(active.tf, runtime, cell, findWorkload(cell), message.seeds, message.timing, ceiling) });
    }
  } else {
    // The backend's first process of the run: its cells run on a fresh heap first, then the ceiling is
    // measured (no extra process start) and their rows completed with it.
    await send({ type: 'runtime', runtime: active.runtime });
    const rows = [];
    for (const [index, cell] of message.cells.entries()) {
      await send({ type: 'cell-start', index });
      rows.push(await runCell(active.tf, active.runtime, cell, findWorkload(cell), message.seeds, message.timing));
    }
    const ceiling = await measureCeiling(active.tf, message.seeds.sampling).catch(() => undefined);
    if (ceiling) await send({ type: 'ceiling', ceiling });
    for (const [index, row] of rows.entries()) await send({ type: 'row', index, row: withCeiling(row, ceiling) });
  }
  await send({ type: 'done' });
}

// An orphaned worker would keep burning CPU and spoil every later measurement: leave with the parent.
process.on('disconnect', () => process.exit(1));

process.once('message', (message: ParentMessage) => {
  handle(message)
    .catch((e) => {
      process.stderr.write(`modelbench worker (${message.backend}): ${errorMessage(e)}\n`);
      process.exitCode = 1;
    })
    // Native backends (Dawn) keep handles open; the job is over, so leave deliberately.
    .finally(() => process.exit());
});
