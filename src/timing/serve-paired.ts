// A paired session in a backend's process: one cell, opened and warmed up, then timed in bursts
// whenever the parent says so. The parent runs one such process per build and hands the bursts
// round, so every build is timed within the same second of machine time: on a shared machine a
// core's speed changes from second to second (measured: the same process at 0.25 and at 0.42 ms
// per call, holding each level for seconds), and builds timed whole cells apart see different
// machines. A build whose process predates this file gets the whole-cell path (run-suite.ts).
import { median } from '../stats/descriptive.js';
import type { BackendSpec } from '../types.js';
import type { ParentMessage, SessionMessage } from './messages.js';
import { measureCeiling } from './ceiling.js';
import { closeCell, completeCell, findWorkload, isOpen, openCell, timeOpenCell, withCeiling } from './run-cell.js';
import { activateOrSay, type Send } from './serve-cells.js';

type Paired = Extract<ParentMessage, { kind: 'paired' }>;

/** Untimed calls before the first burst: at least this long (and the suite's warmupIterations)... */
export const WARMUP_MIN_MS = 1000;
/** ...in chunks this long (or of 3 calls), until two chunks in a row agree within STEADY... */
const WARMUP_CHUNK_MS = 200;
const STEADY = 0.1;
/** ...and at most this long (or the suite's maxCellSeconds, if shorter). */
export const WARMUP_MAX_MS = 6000;

/**
 * Bursts start warm: in its first seconds a cell runs up to 8x slower while V8 and the wasm tiers
 * compile (measured: logistic-regression fit 10000 x 50 from 30 ms to 3.8 ms per call; its
 * from-host variant took 3-4 s to settle), and the builds' compilers finish at different moments,
 * which no pairing cancels. Returns the last call's time.
 */
async function warmUp(
  run: () => Promise<void>,
  iterations: number,
  maxCellSeconds: number | undefined,
): Promise<number> {
  const start = performance.now();
  const cap = Math.min(WARMUP_MAX_MS, (maxCellSeconds ?? Infinity) * 1000);
  const chunkMedians: number[] = [];
  let last = 0;
  for (let calls = 0; ;) {
    const chunk: number[] = [];
    const chunkStart = performance.now();
    while (chunk.length < 3 || performance.now() - chunkStart < WARMUP_CHUNK_MS) {
      const t0 = performance.now();
      await run();
      last = performance.now() - t0;
      chunk.push(last);
      calls++;
      if (performance.now() - start > cap) return last;
    }
    chunkMedians.push(median(chunk));
    const [a, b] = chunkMedians.slice(-2);
    const steady = b !== undefined && Math.abs(b / a - 1) <= STEADY;
    if (steady && calls >= iterations && performance.now() - start >= WARMUP_MIN_MS) return last;
  }
}

export async function servePaired(
  message: Paired,
  spec: Pick<BackendSpec, 'activate'>,
  send: Send,
  next: () => Promise<SessionMessage>,
): Promise<void> {
  const active = await activateOrSay(spec, send);
  if (!active) return;
  await send({ type: 'runtime', runtime: active.runtime });
  await send({ type: 'cell-start', index: 0 });
  const open = await openCell(active.tf, active.runtime, message.cell, findWorkload(message.cell), message.seeds);
  if (!isOpen(open)) {
    await send({ type: 'row', index: 0, row: open });
    return;
  }
  let warmMs = open.row.firstRunMs!;
  const samples: number[] = [];
  const burstMedians: number[] = [];
  try {
    warmMs = await warmUp(open.run, message.timing.warmupIterations, message.timing.maxCellSeconds);
    await send({ type: 'ready', firstRunMs: open.row.firstRunMs!, warmMs });
    for (let m = await next(); m.kind === 'burst'; m = await next()) {
      const burst = await timeOpenCell(open, m.ms, 1, 0);
      samples.push(...burst);
      burstMedians.push(median(burst));
      await send({ type: 'burst', samples: burst });
    }
  } catch (e) {
    await send({ type: 'row', index: 0, row: closeCell(active.tf, open, e) });
    return;
  }
  open.row.burstMedians = burstMedians;
  const row = await completeCell(active.tf, open, samples, message.ceiling);
  if (message.ceiling || row.gflops === undefined) {
    await send({ type: 'row', index: 0, row });
    return;
  }
  // The backend's first process of the run measures its ceiling after its cell, as the whole-cell path does.
  const ceiling = await measureCeiling(active.tf, message.seeds.sampling).catch(() => undefined);
  if (ceiling) await send({ type: 'ceiling', ceiling });
  await send({ type: 'row', index: 0, row: withCeiling(row, ceiling) });
}
