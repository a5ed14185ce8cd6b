// One cell of an implementation under test counted: a native probe (its own process) judges the
// answer with the oracle and sizes the loop; then one process makes the timed request `lo` times and
// two make it `hi` times, each whole under cachegrind inside the sandbox. Everything but the loop —
// start-up, hello, loading the data, the untimed preparation, the warm-up — is the same in each and
// cancels, so the row gets the implementation's own instructions per request.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { modelByName } from '../../models/registry.js';
import { isModuleTarget, type Counter } from '../../protocol/client.js';
import type { Implementation } from '../../protocol/implementation.js';
import { Session } from '../../protocol/session.js';
import type { ImplWorkload } from '../../protocol/workload-types.js';
import type { Seeds } from '../../seeds.js';
import type { Row } from '../../types.js';
import { implRow, reference } from '../impl-cell.js';
import { processEntry } from '../worker-build.js';
import { applyCheck, errorMessage } from '../run-cell.js';
import type { Cell } from '../suite.js';
import { COUNTED_PROCESSES, countPlan, MIN_PROCESS_SPAN, type CountPlan } from './count-cell.js';
import { countColumns } from './counted-row.js';
import { perIteration } from './per-iteration.js';
import { cachegrindArgs, readCounts, V8_DETERMINISTIC, valgrindStatus, type Counts } from './valgrind.js';

/** A counted process still answering after this is stuck (valgrind runs 40-250x slower than native). */
const COUNT_LIMIT_MS = 30 * 60 * 1000;
const PROBE_CALLS = 3;
/**
 * An implementation's span still aims at 150 ms of requests: its steadiness (docs/counted-measurement.md) was
 * measured so, and its processes stay one after another (their sandboxes' start-up is the larger part).
 */
const IMPL_TARGET_MS = 150;

/** What valgrind follows of an implementation's process, said on every counted row. */
export const IMPL_COUNT_NOTE =
  'the implementation process under valgrind (its threads run one at a ' +
  'time and are counted; child processes it starts are not)';

/**
 * The module host a counted process runs: the prebuilt one (plain Node, no loader) for a JavaScript module. Through
 * tsx, the host's start-up ran 1.98 G and 2.16 G instructions in two processes given the same input (its loader hooks
 * run on a thread of their own, and how often the main thread waits for them depends on scheduling); prebuilt, 600.87 M
 * in both, 1.7 thousand apart. A TypeScript module needs tsx's loader, and keeps the default host.
 */
async function countedModuleHost(impl: Implementation): Promise<string | undefined> {
  if (!isModuleTarget(impl.target) || /\.[cm]?ts$/.test(impl.target)) return undefined;
  const entry = await processEntry('module-host');
  return entry.execArgv.length === 0 ? entry.file : undefined;
}

/** Where a counted process writes its counts, and what it runs under. */
interface CountTo {
  readonly outDir: string;
  readonly moduleHost?: string;
}

function counterFor(to: CountTo): Counter {
  return {
    argv: [
      'setarch',
      os.arch() === 'arm64' ? 'aarch64' : 'x86_64',
      '-R',
      'valgrind',
      ...cachegrindArgs(path.join(to.outDir, 'cachegrind.out')),
    ],
    nodeFlags: V8_DETERMINISTIC,
    outDir: to.outDir,
    ...(to.moduleHost ? { moduleHost: to.moduleHost } : {}),
  };
}

/** One process: prepared, warmed up, `calls` timed requests; counted when `to` is given. */
async function countedProcess(
  impl: Implementation,
  workload: ImplWorkload,
  cell: Cell,
  seeds: Seeds,
  calls: { warmup: number; loop: number },
  log: (line: string) => void,
  to?: CountTo,
) {
  const counter = to ? counterFor(to) : undefined;
  const limits = counter
    ? { ...impl.limits, counter, timeoutMs: COUNT_LIMIT_MS, controlTimeoutMs: COUNT_LIMIT_MS }
    : impl.limits;
  const session = await Session.start({ ...impl, limits }, log, { timed: true });
  try {
    const prepared = await workload.prepare({ session, size: cell.size, seeds, reference });
    const request = session.keepsResults ? { ...prepared.request, result: 'handle' } : prepared.request;
    for (let k = 0; k < calls.warmup; k++) await session.timed(request);
    let ms = 0;
    let last;
    for (let k = 0; k < calls.loop; k++) {
      last = await session.timed(request);
      ms += last.ms;
    }
    const check = counter ? undefined : await prepared.judge((await session.result(last!.answer)).answer);
    return { hello: session.hello, msPerCall: ms / calls.loop, check };
  } finally {
    await session.close();
  }
}

/** The counts of one counted process, its folder removed after. */
async function countsOf(
  impl: Implementation,
  workload: ImplWorkload,
  cell: Cell,
  seeds: Seeds,
  plan: CountPlan,
  loop: number,
  log: (line: string) => void,
  moduleHost: string | undefined,
): Promise<Counts> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-count-impl-'));
  try {
    await countedProcess(impl, workload, cell, seeds, { warmup: plan.warmup, loop }, log, { outDir: dir, moduleHost });
    return readCounts(path.join(dir, 'cachegrind.out'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The row's counted columns from the three processes, with what valgrind follows. */
function withCounts(row: Row, lo: Counts, his: readonly Counts[], plan: CountPlan): Row {
  return { ...row, ...countColumns(perIteration(lo, his, plan.lo, plan.hi), plan), countNote: IMPL_COUNT_NOTE };
}

/**
 * An implementation's cell with its counts per request: its timed row completed (when time is measured too) or the
 * probe's judged row; one that cannot be counted says why in its note, and the run goes on.
 */
export async function countedImplRow(
  timed: Row | undefined,
  impl: Implementation,
  cell: Cell,
  seeds: Seeds,
  log: (line: string) => void,
  span?: number,
): Promise<Row> {
  const base = timed ?? implRow(impl, cell, seeds);
  const valgrind = valgrindStatus();
  if (!valgrind.ok) {
    const why = `${valgrind.reason}; fix: ${valgrind.fix}`;
    return {
      ...base,
      ...(timed ? {} : { status: 'unavailable' as const, error: why }),
      countNote: `not counted: ${why}`,
    };
  }
  if (timed && timed.status !== 'ok') return { ...timed, countNote: `not counted: the timed row is ${timed.status}` };
  const workload = modelByName(cell.model)?.implWorkloads.find((w) => w.name === cell.workload);
  if (!workload) return { ...base, status: 'errored', error: `${cell.model}/${cell.workload} has no protocol form` };
  let row = base;
  try {
    const probe = await countedProcess(impl, workload, cell, seeds, { warmup: 1, loop: PROBE_CALLS }, log);
    row = timed ?? implRow(impl, cell, seeds, probe.hello);
    if (!timed) applyCheck(row, probe.check!);
    if (row.status !== 'ok') return { ...row, countNote: `not counted: the probe's row is ${row.status}` };
    // A warm-up of one span: its requests are counted too (the whole process), and the lo and hi processes share it.
    const plan = countPlan(probe.msPerCall, span, IMPL_TARGET_MS, MIN_PROCESS_SPAN, 1, 1);
    const host = await countedModuleHost(impl);
    const lo = await countsOf(impl, workload, cell, seeds, plan, plan.lo, log, host);
    const his: Counts[] = [];
    for (let k = 0; k < COUNTED_PROCESSES; k++)
      his.push(await countsOf(impl, workload, cell, seeds, plan, plan.hi, log, host));
    return withCounts(row, lo, his, plan);
  } catch (e) {
    const error = errorMessage(e);
    return timed
      ? { ...timed, countNote: `not counted: ${error}` }
      : { ...row, status: 'errored', error, countNote: `not counted: ${error}` };
  }
}
