// What a backend's process does with the parent's message, wherever it runs (a Node child process,
// or a Chromium page driven by the browser host): activate the backend, run the cells, send rows.
import { type BackendSpec } from '../types.js';
import { BackendUnavailable } from '../errors.js';
import type { CellsMessage, ChildMessage } from './messages.js';
import { CEILING_GFLOPS, CEILING_SIZE, measureCeiling } from './ceiling.js';
import { errorMessage, findWorkload, runCell, withCeiling } from './run-cell.js';

export type Send = (message: ChildMessage) => Promise<void>;

/** The backend activated, or undefined after telling the parent why it is unavailable. */
export async function activateOrSay(
  spec: Pick<BackendSpec, 'activate'>,
  send: Send,
): Promise<Awaited<ReturnType<BackendSpec['activate']>> | undefined> {
  try {
    return await spec.activate();
  } catch (e) {
    if (e instanceof BackendUnavailable) await send({ type: 'unavailable', reason: e.reason, fix: e.fix });
    else
      await send({
        type: 'unavailable',
        reason: `failed to start: ${errorMessage(e)}`,
        fix: 'see the error above; run `modelbench backends` for details',
      });
    return undefined;
  }
}

export async function serveCells(
  message: CellsMessage,
  spec: Pick<BackendSpec, 'activate'>,
  send: Send,
): Promise<void> {
  const active = await activateOrSay(spec, send);
  if (!active) return;
  if (message.kind === 'probe') {
    await send({ type: 'runtime', runtime: active.runtime });
  } else if (message.ceiling) {
    const ceiling = message.ceiling;
    const runtime = {
      ...active.runtime,
      details: {
        ...active.runtime.details,
        [CEILING_GFLOPS]: String(ceiling.gflops),
        [CEILING_SIZE]: String(ceiling.n),
      },
    };
    await send({ type: 'runtime', runtime });
    for (const [index, cell] of message.cells.entries()) {
      await send({ type: 'cell-start', index });
      await send({
        type: 'row',
        index,
        row: await runCell(active.tf, runtime, cell, findWorkload(cell), message.seeds, message.timing, ceiling),
      });
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
