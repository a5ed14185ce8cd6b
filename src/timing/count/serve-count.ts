// The counted process's side: open the cell (prepare and the first run), warm it up, run its call a
// fixed number of times without a clock, and send the row. Nothing in it depends on time, so two
// processes with the same iterations execute the same instructions. The native probe of the same
// cell (same seeds, same code) also times its loop and has the oracle judge it: the counted
// processes leave the judgement to it (under valgrind a float64 oracle costs minutes, not seconds).
import type { BackendSpec } from '../../types.js';
import type { RegionCounter } from './region-counter.js';
import type { ChildMessage, ParentMessage } from '../messages.js';
import { closeCell, findWorkload, isOpen, openCell, applyCheck } from '../run-cell.js';
import { activateOrSay } from '../serve-cells.js';
import { withInjectedWork } from '../inject-work.js';
import { sizeLabel } from '../suite.js';

type Send = (message: ChildMessage) => Promise<void>;

export async function serveCount(
  message: Extract<ParentMessage, { kind: 'count' }>,
  spec: Pick<BackendSpec, 'activate'>,
  sendNow: Send,
): Promise<void> {
  // Nothing is sent until the end: waiting on a write leaves the event loop idle, and V8 fills idle
  // time with work (memory reduction, idle-time GC) whose amount depends on how long the wait lasts.
  const outbox: ChildMessage[] = [];
  const send: Send = async (m) => {
    outbox.push(m);
    if (m.type === 'done') for (const queued of outbox.splice(0)) await sendNow(queued);
  };
  const active = await activateOrSay(spec, send);
  if (!active) return send({ type: 'done' });
  await send({ type: 'runtime', runtime: active.runtime });
  const open = await openCell(active.tf, active.runtime, message.cell, findWorkload(message.cell), message.seeds);
  if (!isOpen(open)) {
    await send({ type: 'counted', row: open });
    return send({ type: 'done' });
  }
  // The first run's time is not kept: a counted process carries no clock reading.
  delete open.row.firstRunMs;
  let loopMsPerCall: number | undefined;
  try {
    const run = countedCall(message, open.prepared.run);
    // Full collections before the warm-up: whatever garbage start-up left (its amount depends on how the event loop
    // interleaved module loading with the parent's message) is gone, so that the loop's collections fall at the same
    // calls in every process. Before the warm-up, not after it: after a collection asked for, V8 recompiles what the
    // calls use (with TurboFan, 5-7 compilations a call of wasm logreg fit 250 x 10), and the warm-up absorbs that.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) for (let k = 0; k < 2; k++) gc();
    for (let k = 0; k < message.warmup; k++) await run();
    const t0 = message.probe ? performance.now() : 0;
    if (message.counter) await countRegion(loadCounter(message.counter), run, message.iterations);
    else for (let k = 0; k < message.iterations; k++) await run();
    if (message.probe) loopMsPerCall = (performance.now() - t0) / Math.max(1, message.iterations);
    if (message.probe) applyCheck(open.row, await open.prepared.check());
  } catch (e) {
    await send({ type: 'counted', row: closeCell(active.tf, open, e) });
    return send({ type: 'done' });
  }
  await send({
    type: 'counted',
    row: closeCell(active.tf, open),
    ...(loopMsPerCall !== undefined ? { loopMsPerCall } : {}),
  });
  await send({ type: 'done' });
}

/**
 * The call as counted: with the counted gate's calibration, extra work inside it (inject-work.ts). The probe, which
 * sizes the span, runs the call itself, so that a worked twin counts the same span as its baseline.
 */
function countedCall(message: Extract<ParentMessage, { kind: 'count' }>, run: () => Promise<void>) {
  if (message.probe) return run;
  const { cell } = message;
  return withInjectedWork(`${cell.model}/${cell.workload}/${sizeLabel(cell.size)}/${message.backend}`, run);
}

function loadCounter(file: string): RegionCounter {
  const module = { exports: {} as RegionCounter };
  process.dlopen(module, file);
  return module.exports;
}

/**
 * One region of `calls` calls, dumped. One instrumented call first fills the simulated caches, so that the region does
 * not start cold. What brackets the region (the zero and dump requests, a turn of the event loop) is a few hundred
 * instructions against the millions of a call: it is left in.
 */
async function countRegion(counter: RegionCounter, run: () => Promise<void>, calls: number): Promise<void> {
  counter.start();
  await run();
  counter.zero();
  for (let k = 0; k < calls; k++) await run();
  counter.dump();
}
