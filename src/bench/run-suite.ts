// Runs a suite: one child process per backend, rows streamed to the RunWriter as they finish, then
// the peers. An unavailable backend or a crashed child becomes rows saying so; the run goes on.
import { runPeerCell } from '../peers/registry.js';
import type { RunContext } from '../report/context.js';
import { RunWriter } from '../report/run-writer.js';
import type { Seeds } from '../seeds.js';
import type { BackendRuntime, Row } from '../types.js';
import { baseRow } from './run-cell.js';
import type { Progress } from './progress.js';
import { lastErrorLine, runWorker } from './spawn-worker.js';
import { sizeLabel, type Cell, type PeerCell, type Timing } from './suite.js';

export interface SuitePlan {
  readonly cells: readonly Cell[];
  readonly peers: readonly PeerCell[];
  readonly backends: readonly string[];
  readonly timing: Timing;
  readonly seeds: Seeds;
}

export async function runPlan(plan: SuitePlan, outDir: string, context: RunContext, progress: Progress): Promise<RunWriter> {
  const writer = new RunWriter(outDir, context);
  progress.start(plan.cells.length * plan.backends.length + plan.peers.length);
  for (const backend of plan.backends) await runBackend(backend, plan, writer, progress);
  for (const peer of plan.peers) {
    const row = await runPeerCell(peer, plan.seeds, plan.timing);
    writer.add(row);
    progress.step(`peer ${peer.peer} ${peer.model}/${peer.workload} ${sizeLabel(peer.size)}: ${row.status}`);
  }
  progress.finish();
  return writer;
}

/**
 * One fresh process per cell: the wasm heap and JIT state left by earlier cells shifted later cells'
 * medians by 5-10% from run to run (time-budgeted iteration counts make that history random), which
 * the compare gate would read as regressions. A clean process per cell costs a backend start-up.
 */
async function runBackend(backend: string, plan: SuitePlan, writer: RunWriter, progress: Progress): Promise<void> {
  let unavailable: { reason: string; fix: string } | undefined;
  let runtime: Pick<BackendRuntime, 'name' | 'version' | 'device' | 'deviceKind'> = { name: backend, version: '', device: '', deviceKind: 'cpu' };
  let registered = false;
  for (const cell of plan.cells) {
    let row: Row | undefined;
    let started = false;
    const exit = unavailable
      ? undefined
      : await runWorker({ kind: 'run', backend, cells: [cell], seeds: plan.seeds, timing: plan.timing }, (m) => {
          if (m.type === 'runtime') {
            runtime = m.runtime;
            if (!registered) writer.context.backends.push({ name: backend, available: true, runtime: m.runtime });
            registered = true;
          } else if (m.type === 'unavailable') {
            unavailable = { reason: m.reason, fix: m.fix };
            writer.context.backends.push({ name: backend, available: false, ...unavailable });
            progress.note(`backend ${backend} unavailable: ${m.reason}`);
          } else if (m.type === 'cell-start') {
            started = true;
          } else if (m.type === 'row') {
            row = m.row;
          }
        });
    if (!row) {
      // Every cell gets a row, whatever happened to its process.
      row = baseRow(cell, runtime, plan.seeds);
      if (unavailable) {
        Object.assign(row, { status: 'unavailable', error: `${unavailable.reason}; fix: ${unavailable.fix}` });
      } else {
        const how = exit?.signal ? `killed by ${exit.signal}` : `exited with code ${exit?.code}`;
        const when = started ? 'during this cell' : 'before the cell started';
        Object.assign(row, { status: 'errored', error: `backend process ${how} ${when}: ${lastErrorLine(exit?.stderr ?? '') || 'no message'}` });
      }
    }
    writer.add(row);
    progress.step(`${backend} ${row.model}/${row.workload} ${row.size}: ${row.status}`);
  }
}
