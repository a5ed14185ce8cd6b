// A cell's row with its counts: the timed row (when time is measured too) or the probe's judged row,
// completed with the per-call counts; a row that cannot be counted says why, and the run goes on.
import { backendByName } from '../../backends/registry.js';
import type { Seeds } from '../../seeds.js';
import type { Row } from '../../types.js';
import { baseRow } from '../run-cell.js';
import type { Cell } from '../suite.js';
import { countCell, type CountPlan, type ProbedBackend } from './count-cell.js';
import type { PerIteration } from './per-iteration.js';
import { regionCounter } from './region-counter.js';
import { valgrindStatus } from './valgrind.js';

/** Why rows of this backend cannot be counted, or undefined when they can. */
export function uncountable(backend: string): string | undefined {
  const spec = backendByName(backend);
  if (spec?.counted) return undefined;
  if (spec?.host === 'browser')
    return `${backend} runs in a browser process (its GPU or its threads), which valgrind does not count`;
  return (
    `${backend} does its work off the Node process's one thread (a GPU or ` +
    `native threads), which valgrind cannot count whole; counted backends: ` +
    `cpu, wasm`
  );
}

/** A counted row's columns: per call, over the span, with the estimates' spread. */
export function countColumns(c: PerIteration, plan: CountPlan): Partial<Row> {
  return {
    instructionsPerCall: c.instructions,
    l1MissesPerCall: c.l1Misses,
    llMissesPerCall: c.llMisses,
    estCyclesPerCall: c.estimatedCycles,
    countSpreadPct: c.spreadPct,
    countedCalls: plan.hi - plan.lo,
    countedProcesses: c.processes,
    cycleSamples: [...c.cycleSamples],
    instructionSamples: [...c.instructionSamples],
  };
}

function withNote(row: Row, note: string): Row {
  return { ...row, countNote: note };
}

/**
 * `timed` is the cell's timed row when time is measured too; without it the probe's row stands for the cell (and
 * `probed` says what it learnt of the backend).
 */
export async function countedRow(
  timed: Row | undefined,
  backend: string,
  cell: Cell,
  seeds: Seeds,
  probed: (p: ProbedBackend) => void = () => {},
  span?: number,
): Promise<Row> {
  const base = timed ?? {
    ...baseRow(cell, { name: backend, version: '', device: '', deviceKind: 'cpu' }, seeds),
    status: 'unavailable' as const,
  };
  const why = uncountable(backend);
  if (why) {
    if (!timed) probed({ unavailable: { reason: `not counted: ${why}`, fix: 'time it instead (--measure time)' } });
    return withNote(timed ?? { ...base, error: `not counted: ${why}` }, `not counted: ${why}`);
  }
  if (timed && timed.status !== 'ok') return withNote(timed, `not counted: the timed row is ${timed.status}`);
  const valgrind = valgrindStatus();
  const counter = valgrind.ok ? regionCounter() : valgrind;
  if (!counter.ok) {
    if (!timed) probed({ unavailable: { reason: counter.reason, fix: counter.fix } });
    return withNote(
      timed ?? { ...base, error: `${counter.reason}; fix: ${counter.fix}` },
      `not counted: ${counter.reason}; fix: ${counter.fix}`,
    );
  }
  const counted = await countCell(backend, cell, seeds, counter.file, span);
  probed(counted);
  if (counted.unavailable)
    return withNote(
      { ...base, status: 'unavailable', error: `${counted.unavailable.reason}; fix: ${counted.unavailable.fix}` },
      'not counted: unavailable',
    );
  if ('error' in counted) {
    const row = timed ?? {
      ...(counted.row ?? base),
      status: counted.row?.status === 'check-failed' ? ('check-failed' as const) : ('errored' as const),
      error: counted.row?.error ?? counted.error,
    };
    return withNote(row, `not counted: ${counted.error}`);
  }
  return { ...(timed ?? counted.row), ...countColumns(counted.counts, counted.plan) };
}
