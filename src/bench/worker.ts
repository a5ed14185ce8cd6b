// The child process for one backend: activates it, runs the cells it is sent, reports rows.
// One backend per process: tfjs-node and tfjs-node-gpu cannot share one, a crash stays contained,
// and every backend starts with clean memory.
import { backendByName } from '../backends/registry.js';
import type { ChildMessage, ParentMessage } from './protocol.js';
import { errorMessage } from './run-cell.js';
import { serveCells } from './serve-cells.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, (e: Error | null) => (e ? reject(e) : resolve())));
}

async function handle(message: ParentMessage): Promise<void> {
  const spec = backendByName(message.backend);
  if (!spec) throw new Error(`unknown backend ${message.backend}`);
  await serveCells(message, spec, send);
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
