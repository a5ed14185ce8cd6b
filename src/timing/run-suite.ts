// Runs a suite: cell by cell, one fresh child process per (backend, cell) for ours and one fresh
// implementation process per (implementation, cell) for each implementation under test, so the
// implementations of a cell are measured side by side; rows streamed to a RunWriter as they finish.
// An unavailable backend, a crashed child or a broken implementation becomes a row saying so; the
// run goes on. Interleaved mode times a baseline build and this one cell by cell, side by side in
// paired bursts where it can (paired-cell.ts), so both see the same machine conditions (noise across
// CI jobs is far larger than within one).
import path from 'node:path';
import { implRow, runImplCells } from './impl-cell.js';
import type { Implementation } from '../protocol/implementation.js';
import type { RunContext } from '../results/context.js';
import { RunWriter, type Summariser } from '../results/run-writer.js';
import type { Seeds } from '../seeds.js';
import type { Row } from '../types.js';
import type { Progress } from './progress.js';
import { backendByName } from '../backends/registry.js';
import { BackendState, runCellInProcess, type Build } from './cell-process.js';
import { runCellPaired } from './paired-cell.js';
import { pairingCpu } from './pin-cpu.js';
import { countedRow } from './count/counted-row.js';
import type { ProbedBackend } from './count/count-cell.js';
import { countedImplRow } from './count/count-impl.js';
import { cellMeasures, cellTiming, sizeLabel, type Cell, type Measure, type Timing } from './suite.js';
import { SERVE_PAIRED_SOURCES, sourceIn } from './worker-build.js';

export { hardLimitMs, type Build } from './cell-process.js';

/** An implementation under test as planned: the cells it is timed on, or why it gets no timing. */
export interface PlannedImplementation {
  readonly impl: Implementation;
  readonly cells: readonly Cell[];
  /** It cannot run here (unavailable) or could not be started: each of its cells is a row saying so. */
  readonly blocked?: { readonly status: 'unavailable' | 'errored'; readonly error: string };
}

export interface SuitePlan {
  /** Our cells, run on every backend. */
  readonly cells: readonly Cell[];
  readonly impls: readonly PlannedImplementation[];
  readonly backends: readonly string[];
  readonly timing: Timing;
  readonly seeds: Seeds;
  /** What is measured of our rows: time (tinybench), counted instructions (valgrind), or both; default time. */
  readonly measure?: readonly Measure[];
  /** Writes each run folder's summary.txt. */
  readonly summarise?: Summariser;
  /** Counted rows: calls in the counted span (lo; hi is twice), instead of the one sized from native time. */
  readonly countSpan?: number;
}

function label(build: Build, row: Row): string {
  return `${build.root ? `${build.name} ` : ''}${row.backend} ${row.model}/${row.workload} ${row.size}: ${row.status}`;
}

export const cellKey = (cell: Cell): string => `${cell.model}/${cell.workload}/${sizeLabel(cell.size)}`;

/** Every cell of the plan once, ours first in suite order, then cells only an implementation has. */
function allCells(plan: SuitePlan): Cell[] {
  const seen = new Map<string, Cell>();
  for (const c of [...plan.cells, ...plan.impls.flatMap((p) => p.cells)])
    if (!seen.has(cellKey(c))) seen.set(cellKey(c), c);
  return [...seen.values()];
}

export async function runPlan(
  plan: SuitePlan,
  outDir: string,
  context: RunContext,
  progress: Progress,
  log: (line: string) => void = () => {},
): Promise<RunWriter> {
  const writer = new RunWriter(outDir, context, plan.summarise);
  const build: Build = { name: 'this build' };
  const ours = new Set(plan.cells.map(cellKey));
  const states = new Map(plan.backends.map((b) => [b, new BackendState(b)]));
  const cells = allCells(plan);
  progress.start(plan.cells.length * plan.backends.length + plan.impls.reduce((n, p) => n + p.cells.length, 0));
  const counted = countedAhead(plan, (cell, backend) =>
    measuredRow(plan, build, states.get(backend)!, cell, writer, progress),
  );
  for (const [index, cell] of cells.entries()) {
    if (ours.has(cellKey(cell))) {
      for (const backend of plan.backends) {
        const row = await (counted.get(`${cellKey(cell)}/${backend}`) ??
          measuredRow(plan, build, states.get(backend)!, cell, writer, progress));
        // Rows counted ahead registered their backends as their probes ended: put them back in the plan's order.
        if (counted.size > 0) inPlanOrder(writer.context.backends, plan.backends);
        writer.add(row);
        progress.step(label(build, row));
      }
    }
    // Implementations take turns going first, cell by cell; within the cell they alternate request by request.
    const here = plan.impls.filter((p) => p.cells.some((c) => cellKey(c) === cellKey(cell)));
    const shift = here.length > 0 ? index % here.length : 0;
    const order = [...here.slice(shift), ...here.slice(0, shift)];
    const blocked = order
      .filter((p) => p.blocked)
      .map((p) => ({ ...implRow(p.impl, cell, plan.seeds), ...p.blocked! }));
    const live = order.filter((p) => !p.blocked).map((p) => p.impl);
    for (const row of [...(await implementationRows(plan, live, cell, log)), ...blocked]) {
      writer.add(row);
      progress.step(`${row.implementation} ${row.model}/${row.workload} ${row.size}: ${row.status}`);
    }
  }
  writer.finish();
  progress.finish();
  return writer;
}

/**
 * A counted-only run of ours starts every row at once: the count pool (count/pool.ts) runs their processes one per
 * core, and the rows are still written in suite order as they are awaited. Not when anything is timed (a timing
 * beside counted processes would be disturbed) nor with implementations (counted one at a time, their own processes).
 */
function countedAhead(plan: SuitePlan, row: (cell: Cell, backend: string) => Promise<Row>): Map<string, Promise<Row>> {
  const ahead = new Map<string, Promise<Row>>();
  const measure = plan.measure ?? ['time'];
  if (measure.includes('time') || !measure.includes('instructions') || plan.impls.length > 0) return ahead;
  for (const cell of plan.cells)
    for (const backend of plan.backends) {
      const pending = row(cell, backend);
      // A rejection is seen where the row is awaited, in order; until then it must not count as unhandled.
      pending.catch(() => {});
      ahead.set(`${cellKey(cell)}/${backend}`, pending);
    }
  return ahead;
}

function inPlanOrder(entries: { name: string }[], order: readonly string[]): void {
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  entries.sort((a, b) => rank(a.name) - rank(b.name));
}

/** The implementations' rows of one cell: timed side by side, counted one at a time, or both, as the plan asks. */
async function implementationRows(
  plan: SuitePlan,
  live: readonly Implementation[],
  cell: Cell,
  log: (line: string) => void,
) {
  if (live.length === 0) return [];
  const measure = cellMeasures(cell, plan.measure ?? ['time']);
  const timed = measure.includes('time')
    ? await runImplCells(live, cell, plan.seeds, cellTiming(plan.timing, cell), log)
    : [];
  if (!measure.includes('instructions')) return timed;
  const rows: Row[] = [];
  for (const impl of live) {
    const own = timed.find((r) => r.implementation === impl.name);
    rows.push(
      await countedImplRow(measure.includes('time') ? own : undefined, impl, cell, plan.seeds, log, plan.countSpan),
    );
  }
  return rows;
}

/** One cell of ours on one backend, timed, counted or both as the plan asks. */
async function measuredRow(
  plan: SuitePlan,
  build: Build,
  state: BackendState,
  cell: Cell,
  writer: RunWriter,
  progress: Progress,
): Promise<Row> {
  const measure = cellMeasures(cell, plan.measure ?? ['time']);
  const timed = measure.includes('time')
    ? await runCellInProcess(build, state, cell, plan.seeds, plan.timing, writer, progress)
    : undefined;
  if (!measure.includes('instructions')) return timed!;
  const probed = (p: ProbedBackend) => {
    if (timed) return;
    // Without a timed process, the probe is what tells the run's context about the backend.
    if (p.unavailable) state.unavailable = p.unavailable;
    if (p.runtime) state.runtime = p.runtime;
    state.register(writer, p.runtime);
  };
  return countedRow(timed, state.backend, cell, plan.seeds, probed, plan.countSpan ?? cell.countSpan?.[state.backend]);
}

/** The builds' processes one after another, a whole cell each. */
async function byTurns(
  sides: readonly { build: Build; state: BackendState; writer: RunWriter }[],
  cell: Cell,
  plan: SuitePlan,
  progress: Progress,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const side of sides)
    rows.push(await runCellInProcess(side.build, side.state, cell, plan.seeds, plan.timing, side.writer, progress));
  return rows;
}

/**
 * A build can time in bursts when its worker has the paired session (this checkout does; a baseline checkout from
 * before it does not).
 */
function timesInBursts(build: Build): boolean {
  return build.root === undefined || sourceIn(build.root, SERVE_PAIRED_SOURCES) !== undefined;
}

/**
 * Rounds of the builds (baseline and candidate, or more), cell by cell. Each (build, round) is a run
 * folder under outDir/<build name>/, which `modelbench compare outDir/baseline outDir/candidate` pools.
 * Where every build can, a cell is timed paired (paired-cell.ts): the builds' processes take turns in
 * short bursts on one CPU, and each run's context names its round (`pairedRound`), by which compare
 * pairs the bursts. Otherwise (a browser backend, a baseline checkout without paired sessions) the
 * builds alternate whole cells, a process each.
 */
export async function runInterleaved(
  plan: SuitePlan,
  builds: readonly Build[],
  repeat: number,
  outDir: string,
  contextFor: (build: Build, round: number) => RunContext,
  progress: Progress,
): Promise<Map<string, RunWriter[]>> {
  const writers = new Map<string, RunWriter[]>(builds.map((b) => [b.name, []]));
  const states = new Map(builds.map((b) => [b.name, new Map(plan.backends.map((be) => [be, new BackendState(be)]))]));
  const paired = builds.every(timesInBursts);
  if (!paired)
    progress.note(
      `timing whole cells by turns: ${builds
        .filter((b) => !timesInBursts(b))
        .map((b) => `${b.name} (${b.root})`)
        .join(', ')} predates paired timing`,
    );
  const pinning = pairingCpu();
  // Names each round across the builds; one interleaved session, so runs of another session never pair.
  const session = new Date().toISOString();
  progress.start(repeat * builds.length * plan.backends.length * plan.cells.length);
  for (let round = 1; round <= repeat; round++) {
    const roundWriters = new Map(
      builds.map((b) => {
        const ctx = contextFor(b, round);
        const options = paired
          ? { ...ctx.options, pairedRound: `${session} round ${round}`, pairedCpu: pinning.note }
          : ctx.options;
        return [b.name, new RunWriter(path.join(outDir, b.name), { ...ctx, options }, plan.summarise)] as const;
      }),
    );
    for (const [name, w] of roundWriters) writers.get(name)!.push(w);
    // Rotate who goes first each round, so a drift in machine speed hits every build alike.
    const shift = (round - 1) % builds.length;
    const order = [...builds.slice(shift), ...builds.slice(0, shift)];
    for (const backend of plan.backends) {
      const inBursts = paired && backendByName(backend)?.host !== 'browser';
      for (const cell of plan.cells) {
        const sides = order.map((build) => ({
          build,
          state: states.get(build.name)!.get(backend)!,
          writer: roundWriters.get(build.name)!,
        }));
        const rows = inBursts
          ? await runCellPaired(sides, cell, plan.seeds, plan.timing, pinning.cpu, progress)
          : await byTurns(sides, cell, plan, progress);
        sides.forEach((side, i) => {
          side.writer.add(rows[i]);
          progress.step(`round ${round}: ${label(side.build, rows[i])}`);
        });
      }
    }
    for (const w of roundWriters.values()) w.finish();
  }
  progress.finish();
  return writers;
}
