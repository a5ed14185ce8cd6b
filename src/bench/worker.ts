// The child process for one backend: activates it, runs the cells it is sent, reports rows.
// One backend per process: tfjs-node and tfjs-node-gpu cannot share one, a crash stays contained,
// and every backend starts with clean memory.
import { backendByName } from '../backends/registry.js';
import { BackendUnavailable } from '../types.js';
import type { ChildMessage, ParentMessage } from './protocol.js';
import { errorMessage, findWorkload, runCell } from './run-cell.js';

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
  await send({ type: 'runtime', runtime: active.runtime });
  if (message.kind === 'run') {
    for (const [index, cell] of message.cells.entries()) {
      await send({ type: 'cell-start', index });
      const row = await runCell(active.tf, active.runtime, cell, findWorkload(cell), message.seeds, message.timing);
      await send({ type: 'row', index, row });
    }
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
