// The shape of a saved run's results.json, checked field by field when a run is read back (compare,
// report, scorecard): a file edited by hand, truncated or written by something else is one line
// naming the file and the field, never a TypeError deep inside a renderer.
import type { RowStatus } from '../types.js';
import { testbedProblem } from './testbed.js';

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';

const ROW_STATUSES: readonly RowStatus[] = ['ok', 'errored', 'unavailable', 'check-failed'];

/** Every field the readers use, with its kind; `?` marks one a run may leave out. */
const CONTEXT_FIELDS: Readonly<Record<string, Kind>> = {
  runId: 'string',
  timestamp: 'string',
  gitSha: 'string',
  gitDirty: 'boolean',
  host: 'string',
  cpuModel: 'string',
  cpuCores: 'number',
  memoryGiB: 'number',
  os: 'string',
  nodeVersion: 'string',
  tfjsVersion: 'string',
  tinybenchVersion: 'string',
  suite: 'string',
  baseSeed: 'number',
  options: 'object',
  backends: 'array',
};

const ROW_STRINGS = [
  'implementation',
  'backendVersion',
  'device',
  'deviceKind',
  'throughputUnit',
  'objectiveName',
  'error',
  'expectedFailure',
  'efficiencyNote',
] as const;
const ROW_NUMBERS = [
  'samples',
  'meanMs',
  'medianMs',
  'p75Ms',
  'p99Ms',
  'minMs',
  'maxMs',
  'sdMs',
  'rmePct',
  'throughput',
  'firstRunMs',
  'objective',
  'oracleObjective',
  'relError',
  'tolerance',
  'iterations',
  'tensorsLeaked',
  'gflops',
  'ceilingGflops',
  'ceilingFraction',
  'kernelsPerRun',
  'hostSyncsPerRun',
  'protocolMs',
  'implElapsedMs',
  'seedData',
  'seedInit',
  'seedSampling',
] as const;

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const show = (v: unknown) => JSON.stringify(v)?.slice(0, 60) ?? String(v);

/** Why a results.json context cannot be read, or undefined when every field the readers use has its kind. */
export function contextProblem(context: unknown): string | undefined {
  if (kindOf(context) !== 'object') return `"context" is ${show(context)}, not an object`;
  const c = context as Record<string, unknown>;
  for (const [field, kind] of Object.entries(CONTEXT_FIELDS)) {
    if (kindOf(c[field]) !== kind)
      return (
        `context.${field} is ` +
        `${c[field] === undefined ? 'missing' : show(c[field])}; it must be ` +
        `${kind === 'array' ? 'a list' : `a ${kind}`}`
      );
  }
  // Optional: runs written before issue 34 have none (the report shows them as a pre-testbed series).
  const testbed = testbedProblem(c.testbed);
  if (testbed) return testbed;
  for (const [i, b] of (c.backends as unknown[]).entries()) {
    const where = `context.backends[${i}]`;
    if (kindOf(b) !== 'object') return `${where} is ${show(b)}, not an object`;
    const be = b as Record<string, unknown>;
    if (typeof be.name !== 'string' || typeof be.available !== 'boolean')
      return `${where} needs "name" (a string) and "available" (true or false)`;
    const runtime = be.runtime as Record<string, unknown> | undefined;
    if (
      be.available &&
      (kindOf(runtime) !== 'object' || typeof runtime!.version !== 'string' || typeof runtime!.device !== 'string')
    )
      return `${where} is available but its "runtime" lacks "version" and "device" strings`;
    for (const f of ['reason', 'fix'])
      if (be[f] !== undefined && typeof be[f] !== 'string')
        return `${where}.${f} is ${show(be[f])}; it must be a string`;
  }
  return undefined;
}

/** Why a row cannot be read (its key fields are checked by the loader), or undefined. */
export function rowProblem(row: Record<string, unknown>): string | undefined {
  if (!ROW_STATUSES.includes(row.status as RowStatus))
    return (
      `"status" is ${row.status === undefined ? 'missing' : show(row.status)}` +
      `; it must be one of ${ROW_STATUSES.join(', ')}`
    );
  for (const f of ROW_STRINGS)
    if (row[f] !== undefined && typeof row[f] !== 'string') return `"${f}" is ${show(row[f])}; it must be a string`;
  // JSON writes NaN and Infinity as null: a null number is a value the run could not compute, not a mistake.
  for (const f of ROW_NUMBERS)
    if (row[f] !== undefined && row[f] !== null && typeof row[f] !== 'number')
      return `"${f}" is ${show(row[f])}; it must be a number`;
  if (row.check !== undefined && !['pass', 'fail', 'n/a'].includes(row.check as string))
    return `"check" is ${show(row.check)}; it must be pass, fail or n/a`;
  if (row.converged !== undefined && typeof row.converged !== 'boolean')
    return `"converged" is ${show(row.converged)}; it must be true or false`;
  const bursts = row.burstMedians;
  if (bursts !== undefined && (!Array.isArray(bursts) || !bursts.every((x) => typeof x === 'number')))
    return '"burstMedians" must be a list of numbers';
  return undefined;
}
