// The child process for one backend: activates it, runs the cells it is sent, reports rows.
// One backend per process: tfjs-node and tfjs-node-gpu cannot share one, a crash stays contained,
// and every backend starts with clean memory.
import { backendByName } from '../backends/registry.js';
import { loadModelModules } from '../models/registry.js';
import type { ChildMessage, ParentMessage, SessionMessage } from './messages.js';
import { errorMessage } from './run-cell.js';
import { serveCells } from './serve-cells.js';
import { servePaired } from './serve-paired.js';
import { serveCount } from './count/serve-count.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, (e: Error | null) => (e ? reject(e) : resolve())));
}

// The parent's messages in order: the first says what to do; a paired session's later ones say when.
const inbox: unknown[] = [];
let waiting: ((m: unknown) => void) | undefined;
process.on('message', (m) => {
  if (waiting) {
    const deliver = waiting;
    waiting = undefined;
    deliver(m);
  } else inbox.push(m);
});
const next = <T>(): Promise<T> =>
  inbox.length > 0
    ? Promise.resolve(inbox.shift() as T)
    : new Promise((resolve) => (waiting = resolve as (m: unknown) => void));

async function handle(message: ParentMessage): Promise<void> {
  const spec = backendByName(message.backend);
  if (!spec) throw new Error(`unknown backend ${message.backend}`);
  if (message.kind === 'count') return serveCount(message, spec, send);
  if (message.kind !== 'paired') return serveCells(message, spec, send);
  await servePaired(message, spec, send, () => next<SessionMessage>());
  await send({ type: 'done' });
}

// An orphaned worker would keep burning CPU and spoil every later measurement: leave with the parent.
process.on('disconnect', () => process.exit(1));

void next<ParentMessage>().then((first) =>
  // Models registered from outside (MODELBENCH_MODELS) exist in this process only once loaded here.
  loadModelModules()
    .then(() => handle(first))
    .catch((e) => {
      process.stderr.write(`modelbench worker (${first.backend}): ${errorMessage(e)}\n`);
      process.exitCode = 1;
    })
    // Native backends (Dawn) keep handles open; the job is over, so leave deliberately.
    .finally(() => process.exit()),
);
