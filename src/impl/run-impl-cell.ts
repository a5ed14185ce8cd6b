// Times one cell of an implementation under test through the protocol, in a fresh process: load the
// cell's data (untimed), measure the protocol's own round trip with pings, take the first run apart,
// then sample the timed request as tinybench samples ours (a time budget and a least number of
// iterations, capped per cell), and judge the last answer with the float64 oracle. Whatever goes
// wrong becomes the row's status and message; the run goes on.
import { wasmBackend } from '../backends/wasm.js';
import { baseRow, errorMessage } from '../bench/run-cell.js';
import { MIN_SAMPLES, type Cell, type Timing } from '../bench/suite.js';
import { modelByName } from '../models/registry.js';
import { meanAndSd, quantile } from '../report/stats.js';
import type { Seeds } from '../seeds.js';
import type { Row, Tf } from '../types.js';
import type { Limits } from '../validate/client.js';
import type { Hello } from '../validate/protocol.js';
import { Session, type TimedAnswer } from './session.js';

export interface ImplUnderTest {
  readonly name: string;
  /** A module path or a command line. */
  readonly target: string;
  readonly limits: Limits;
}

/** Pings per cell: enough for a stable median of a sub-millisecond round trip. */
const PINGS = 25;

let referenceTf: Promise<Tf> | undefined;
const reference = (): Promise<Tf> => (referenceTf ??= wasmBackend.activate().then((a) => a.tf));

/** Whether the implementation offers this cell: the model declared, and the workload when it lists its workloads. */
export function offers(hello: Hello, cell: Cell): boolean {
  if (!hello.models.includes(cell.model)) return false;
  if (!modelByName(cell.model)?.implWorkloads.some((w) => w.name === cell.workload)) return false;
  const listed = hello.workloads?.[cell.model];
  return listed === undefined || listed.includes(cell.workload);
}

export function implRow(impl: ImplUnderTest, cell: Cell, seeds: Seeds, hello?: Hello): Row {
  return { ...baseRow(cell, { name: `impl:${impl.name}`, version: hello ? `${hello.name} ${hello.version}` : '', device: hello?.device ?? '', deviceKind: 'cpu' }, seeds), implementation: impl.name };
}

function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

async function sample(session: Session, request: Parameters<Session['timed']>[0], timing: Timing, firstMs: number): Promise<TimedAnswer[]> {
  const capped = timing.maxCellSeconds === undefined ? Infinity : Math.floor((timing.maxCellSeconds * 1000) / Math.max(firstMs, 1e-3));
  const iterations = Math.max(MIN_SAMPLES, Math.min(timing.minIterations, capped));
  const budgetMs = capped < timing.minIterations ? 0 : timing.timeMs;
  const warmup = capped < timing.minIterations ? Math.min(1, timing.warmupIterations) : timing.warmupIterations;
  for (let k = 0; k < warmup; k++) await session.timed(request);
  const out: TimedAnswer[] = [];
  let total = 0;
  const ceiling = timing.maxCellSeconds === undefined ? Infinity : timing.maxCellSeconds * 1000;
  while (out.length < iterations || (total < budgetMs && total < ceiling)) {
    const t = await session.timed(request);
    out.push(t);
    total += t.ms;
  }
  return out;
}

export async function runImplCell(impl: ImplUnderTest, cell: Cell, seeds: Seeds, timing: Timing, log: (line: string) => void): Promise<Row> {
  let row = implRow(impl, cell, seeds);
  const workload = modelByName(cell.model)?.implWorkloads.find((w) => w.name === cell.workload);
  if (!workload) return { ...row, status: 'errored', error: `${cell.model}/${cell.workload} cannot be timed through the protocol; implementation workloads of ${cell.model}: ${modelByName(cell.model)?.implWorkloads.map((w) => w.name).join(', ')}` };
  let session: Session | undefined;
  try {
    session = await Session.start(impl.target, impl.limits, log);
    const hello = session.hello;
    row = implRow(impl, cell, seeds, hello);
    if (hello.unavailable) return { ...row, status: 'unavailable', error: `${hello.unavailable}; fix: ${hello.fix}` };
    if (!offers(hello, cell)) return { ...row, status: 'errored', error: `it does not offer ${cell.model}/${cell.workload} (its hello: models ${hello.models.join(', ')})` };
    const pings: number[] = [];
    for (let k = 0; k < PINGS; k++) pings.push((await session.timed({ op: 'ping' })).ms);
    row.protocolMs = median(pings);
    let prepared;
    try {
      prepared = await workload.prepare({ session, size: cell.size, seeds, reference });
    } catch (e) {
      return { ...row, status: 'errored', error: `prepare: ${errorMessage(e)}` };
    }
    // Results stay in the implementation (a handle comes back), so no timing includes turning them into JSON.
    const request = { ...prepared.request, result: 'handle' };
    const first = await session.timed(request);
    row.firstRunMs = first.ms;
    const samples = await sample(session, request, timing, first.ms);
    const ms = samples.map((s) => s.ms);
    const sorted = [...ms].sort((a, b) => a - b);
    const { mean, sd } = meanAndSd(sorted);
    const elapsed = samples.map((s) => s.elapsedMs).filter((v): v is number => v !== undefined);
    Object.assign(row, {
      samples: ms.length,
      meanMs: mean,
      medianMs: quantile(sorted, 0.5),
      p75Ms: quantile(sorted, 0.75),
      p99Ms: quantile(sorted, 0.99),
      minMs: sorted[0],
      maxMs: sorted[sorted.length - 1],
      sdMs: sd,
      // tinybench's rme (normal approximation): 100 * 1.96 * sem / mean.
      rmePct: (100 * 1.96 * sd) / Math.sqrt(ms.length) / mean,
      throughput: prepared.workPerRun / (quantile(sorted, 0.5) / 1000),
      throughputUnit: prepared.workUnit,
      implElapsedMs: elapsed.length === samples.length ? median(elapsed) : undefined,
      rawSamples: ms,
    });
    const check = await prepared.judge(await session.result(samples[samples.length - 1].answer));
    Object.assign(row, {
      objectiveName: check.objectiveName,
      objective: check.modelValue,
      oracleObjective: check.oracleValue,
      relError: check.relError ?? Math.abs(check.modelValue - check.oracleValue) / Math.max(Math.abs(check.oracleValue), Number.MIN_VALUE),
      tolerance: check.tolerance,
      check: check.passed ? 'pass' : 'fail',
      iterations: check.iterations,
      converged: check.converged,
    });
    const declared = hello.expected_failures?.[`${cell.model}/${cell.workload}`];
    if (!check.passed) {
      row.status = 'check-failed';
      row.error = check.note ?? `${check.objectiveName} off the oracle by more than ${check.tolerance}`;
      if (declared !== undefined) {
        row.expectedFailure = String(declared);
        row.error += ` (declared expected failure: ${String(declared)})`;
      }
    } else if (declared !== undefined) {
      row.error = `passed, though declared an expected failure (${String(declared)}): remove the declaration`;
    }
    return row;
  } catch (e) {
    return { ...row, status: 'errored', error: errorMessage(e) };
  } finally {
    await session?.close();
  }
}
