// Times one cell of implementations under test through the protocol, each in a fresh process: load
// the cell's data (untimed), measure the protocol's own round trip with pings, take the first run
// apart, then sample the timed request as tinybench samples ours (a time budget and a least number of
// iterations, capped per cell), the implementations taking turns request by request, and judge each
// one's last answer with the float64 oracle. Whatever goes wrong becomes that row's status and
// message; the others and the run go on.
import { wasmBackend } from '../backends/wasm.js';
import { applyCheck, baseRow, errorMessage } from './run-cell.js';
import { MIN_SAMPLES, sizeLabel, type Cell, type Timing } from './suite.js';
import { modelByName } from '../models/registry.js';
import { median } from '../stats/descriptive.js';
import { timedColumns } from './timed-columns.js';
import { deriveSeed, Rng, type Seeds } from '../seeds.js';
import type { Row, Tf } from '../types.js';
import type { Implementation } from '../protocol/implementation.js';
import type { Hello, Request } from '../protocol/messages.js';
import { declaredFailure } from '../protocol/hello.js';
import { Session, type TimedAnswer } from '../protocol/session.js';
import type { ImplWorkload, PreparedImplWorkload } from '../protocol/workload-types.js';

/** Pings per cell: enough for a stable median of a sub-millisecond round trip. */
const PINGS = 25;

let referenceTf: Promise<Tf> | undefined;
/** Our reference backend (wasm) for judges that need our own optimum: started once, on first use. */
export const reference = (): Promise<Tf> => (referenceTf ??= wasmBackend.activate().then((a) => a.tf));

/** Whether the implementation offers this cell: the model declared, and the workload when it lists its workloads. */
export function offers(hello: Hello, cell: Cell): boolean {
  if (!hello.models.includes(cell.model)) return false;
  if (!modelByName(cell.model)?.implWorkloads.some((w) => w.name === cell.workload)) return false;
  const listed = hello.workloads?.[cell.model];
  return listed === undefined || listed.includes(cell.workload);
}

export function implRow(impl: Implementation, cell: Cell, seeds: Seeds, hello?: Hello): Row {
  return {
    ...baseRow(
      cell,
      {
        name: `impl:${impl.name}`,
        version: hello ? `${hello.name} ${hello.version}` : '',
        device: hello?.device ?? '',
        deviceKind: 'cpu',
      },
      seeds,
    ),
    implementation: impl.name,
  };
}

/** One implementation's part of a cell while it is being sampled. */
interface Contender {
  readonly impl: Implementation;
  row: Row;
  session?: Session;
  prepared?: PreparedImplWorkload;
  request?: Request;
  samples: TimedAnswer[];
  /** Samples it needs at least, the time it should keep sampling for, and the cap on its timed work. */
  iterations: number;
  budgetMs: number;
  ceilingMs: number;
  totalMs: number;
  /** Finished: its row is final (errored, unavailable) or it has its samples. */
  done: boolean;
}

function fail(c: Contender, e: unknown, prefix = ''): void {
  c.row = { ...c.row, status: 'errored', error: `${prefix}${errorMessage(e)}` };
  c.done = true;
}

/** The first run, kept apart, then the sample plan it implies (a slow request gets fewer) and the warm-up. */
async function firstRunAndWarmup(c: Contender, session: Session, timing: Timing): Promise<void> {
  const first = await session.timed(c.request!);
  c.row.firstRunMs = first.ms;
  const capped =
    timing.maxCellSeconds === undefined
      ? Infinity
      : Math.floor((timing.maxCellSeconds * 1000) / Math.max(first.ms, 1e-3));
  c.iterations = Math.max(MIN_SAMPLES, Math.min(timing.minIterations, capped));
  c.budgetMs = capped < timing.minIterations ? 0 : timing.timeMs;
  c.ceilingMs = timing.maxCellSeconds === undefined ? Infinity : timing.maxCellSeconds * 1000;
  const warmup = capped < timing.minIterations ? Math.min(1, timing.warmupIterations) : timing.warmupIterations;
  for (let k = 0; k < warmup; k++) await session.timed(c.request!);
}

/** Hello checked, the protocol's own round trip measured, the cell prepared: false when the contender is done. */
async function readyToTime(
  c: Contender,
  cell: Cell,
  seeds: Seeds,
  workload: ImplWorkload,
  log: (line: string) => void,
): Promise<boolean> {
  const session = (c.session = await Session.start(c.impl, log, { timed: true }));
  const hello = session.hello;
  c.row = implRow(c.impl, cell, seeds, hello);
  if (hello.unavailable) {
    c.row = { ...c.row, status: 'unavailable', error: `${hello.unavailable}; fix: ${hello.fix}` };
    c.done = true;
    return false;
  }
  if (!offers(hello, cell)) {
    fail(c, `it does not offer ${cell.model}/${cell.workload} (its hello: models ${hello.models.join(', ')})`);
    return false;
  }
  const pings: number[] = [];
  for (let k = 0; k < PINGS; k++) pings.push((await session.timed({ op: 'ping' })).ms);
  c.row.protocolMs = median(pings);
  try {
    c.prepared = await workload.prepare({ session, size: cell.size, seeds, reference });
  } catch (e) {
    fail(c, e, 'prepare: ');
    return false;
  }
  // From protocol 3, results stay in the implementation (a handle and the result's digest come back), so
  // no timing includes turning them into JSON; a protocol 2 implementation answers inline, timed with it.
  c.request = session.keepsResults ? { ...c.prepared.request, result: 'handle' } : c.prepared.request;
  return true;
}

/**
 * Start, hello, pings, the untimed preparation and the first run (kept apart): a contender ready to sample, or done
 * with its row.
 */
async function start(
  impl: Implementation,
  cell: Cell,
  seeds: Seeds,
  timing: Timing,
  log: (line: string) => void,
): Promise<Contender> {
  const row = implRow(impl, cell, seeds);
  const c: Contender = {
    impl,
    row,
    samples: [],
    iterations: 0,
    budgetMs: 0,
    ceilingMs: Infinity,
    totalMs: 0,
    done: false,
  };
  const offered = modelByName(cell.model)?.implWorkloads ?? [];
  const workload = offered.find((w) => w.name === cell.workload);
  if (!workload) {
    const names = offered.map((w) => w.name).join(', ');
    fail(
      c,
      `${cell.model}/${cell.workload} cannot be timed through the protocol; ` +
        `implementation workloads of ${cell.model}: ${names}`,
    );
    return c;
  }
  try {
    if (await readyToTime(c, cell, seeds, workload, log)) await firstRunAndWarmup(c, c.session!, timing);
  } catch (e) {
    fail(c, e);
  }
  return c;
}

function wantsMore(c: Contender): boolean {
  return c.samples.length < c.iterations || (c.totalMs < c.budgetMs && c.totalMs < c.ceilingMs);
}

/** The row from the samples, then the oracle's judgement of the last answer. */
async function finish(c: Contender, cell: Cell): Promise<Row> {
  const row = c.row;
  if (row.status !== 'ok' || !c.session || !c.prepared) return row;
  try {
    const ms = c.samples.map((t) => t.ms);
    const elapsed = c.samples.map((t) => t.elapsedMs).filter((v): v is number => v !== undefined);
    Object.assign(row, {
      ...timedColumns(ms, c.prepared.workPerRun, c.prepared.workUnit),
      implElapsedMs: elapsed.length === c.samples.length ? median(elapsed) : undefined,
    });
    const fetched = await c.session.result(c.samples[c.samples.length - 1].answer);
    row.fetchMs = fetched.fetchMs;
    const check = await c.prepared.judge(fetched.answer);
    applyCheck(row, check);
    const declared = declaredFailure(c.session.hello, cell.model, cell.workload);
    if (!check.passed && declared !== undefined) {
      row.expectedFailure = String(declared);
      row.error += ` (declared expected failure: ${String(declared)})`;
    } else if (check.passed && declared !== undefined) {
      row.error = `passed, though declared an expected failure (${String(declared)}): remove the declaration`;
    }
    return row;
  } catch (e) {
    return { ...row, status: 'errored', error: errorMessage(e) };
  }
}

/**
 * The implementations of one cell, each in its own process, sampled request by request in turn, so
 * that every sample of one has a neighbour in time from each other one: a machine whose speed drifts
 * during the cell shifts them all alike, and their comparison stays fair. The order within each round
 * is drawn afresh (seeded): with a fixed order (A B A B) the second of a pair was measured 8% slower
 * than an identical first on a 2-core machine busy with other work (it is woken right after the
 * first's burst), a bias no number of samples removes.
 */
function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export async function runImplCells(
  impls: readonly Implementation[],
  cell: Cell,
  seeds: Seeds,
  timing: Timing,
  log: (line: string) => void,
): Promise<Row[]> {
  const contenders: Contender[] = [];
  try {
    for (const impl of impls) contenders.push(await start(impl, cell, seeds, timing, log));
    const order = new Rng(
      deriveSeed(seeds.sampling, `impl-order/${cell.model}/${cell.workload}/${sizeLabel(cell.size)}`),
    );
    for (let active = contenders.filter((c) => !c.done); active.length > 0; active = active.filter((c) => !c.done)) {
      for (const c of shuffled(active, order)) {
        try {
          const t = await c.session!.timed(c.request!);
          c.samples.push(t);
          c.totalMs += t.ms;
          if (!wantsMore(c)) c.done = true;
        } catch (e) {
          fail(c, e);
        }
      }
    }
    const rows: Row[] = [];
    for (const c of contenders) rows.push(await finish(c, cell));
    return rows;
  } finally {
    await Promise.all(contenders.map((c) => c.session?.close()));
  }
}
