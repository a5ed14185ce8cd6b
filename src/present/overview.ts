// The overview matrix of a report: cells (model / workload / size) by columns (series x backend), each
// cell's throughput relative to one baseline column, with a seeded bootstrap interval of the ratio of
// medians from the raw samples, and a geometric-mean row per column over the cells both columns ran.
import { BACKENDS } from '../backends/registry.js';
import { deriveSeed, Rng } from '../seeds.js';
import type { Row } from '../types.js';
import { ratioOfMediansInterval } from '../stats/bootstrap.js';
import { cellLabel, machineLabel, type MergedRow } from '../results/merge.js';
import { quantile } from '../stats/descriptive.js';
import { BaselineNotFound } from '../errors.js';

/** Draws per interval: the 2.5% point then rests on 50 draws. */
export const BOOTSTRAP_DRAWS = 2000;
export const INTERVAL_LEVEL = 0.95;
/** The seed of every interval (each cell's stream derived from it and the cell's name): a report is reproducible. */
export const BOOTSTRAP_SEED = 20261203;

export interface OverviewColumn {
  readonly series: string;
  readonly testbed: string;
  readonly backend: string;
}

export type CellState = 'timed' | 'errored' | 'unavailable' | 'not run';

export interface OverviewCell {
  readonly state: CellState;
  /** A row of it failed its objective check (timed, but wrong). */
  readonly checkFailed: boolean;
  readonly throughput?: number;
  readonly unit?: string;
  readonly samples: number;
  readonly runs: number;
  /** Throughput over the baseline column's, in the same row; with `low` and `high` its bootstrap interval. */
  readonly ratio?: number;
  readonly low?: number;
  readonly high?: number;
  readonly error?: string;
}

export interface OverviewRow {
  readonly model: string;
  readonly workload: string;
  readonly size: string;
  readonly label: string;
  readonly cells: readonly OverviewCell[];
}

export interface GeoMean {
  readonly ratio?: number;
  /** The cells it is over: those this column and the baseline column both timed. */
  readonly cells: number;
}

export interface Overview {
  readonly columns: readonly OverviewColumn[];
  readonly baseline: number;
  readonly rows: readonly OverviewRow[];
  readonly geomean: readonly GeoMean[];
  /** Columns left out: every row of theirs was unavailable (the reasons are listed once per testbed). */
  readonly unavailable: readonly OverviewColumn[];
  readonly draws: number;
  readonly level: number;
  readonly seed: number;
}

interface Pool {
  readonly sorted: Float64Array;
  /** Work units per run (throughput x median): throughput at another median is work / median. */
  readonly work: number;
  readonly throughput?: number;
  readonly unit?: string;
  readonly runs: number;
  readonly rows: readonly Row[];
}

const isTimed = (r: Row) =>
  r.status !== 'unavailable' && ((r.rawSamples ?? []).length > 0 || r.throughput !== undefined);

/** One column's rows of one cell, pooled: samples of every run together, throughput at their median. */
function poolOf(rows: readonly Row[]): Pool {
  const timed = rows.filter(isTimed);
  const sorted = Float64Array.from(timed.flatMap((r) => r.rawSamples ?? [])).sort();
  const withWork = timed.find((r) => r.throughput !== undefined && r.medianMs !== undefined);
  // Without a throughput the work is one run: ratios of such cells are ratios of run rates.
  const work = withWork ? (withWork.throughput! * withWork.medianMs!) / 1000 : 1;
  const median = sorted.length > 0 ? (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2 : undefined;
  const throughputs = timed
    .map((r) => r.throughput)
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b);
  const throughput =
    median !== undefined && median > 0
      ? work / (median / 1000)
      : throughputs.length > 0
        ? quantile(throughputs, 0.5)
        : undefined;
  // Each run has one row per cell and backend: a pool's timed rows are its runs.
  return {
    sorted,
    work,
    throughput,
    unit: withWork?.throughputUnit ?? timed[0]?.throughputUnit,
    runs: timed.length,
    rows,
  };
}

function stateOf(rows: readonly Row[]): OverviewCell['state'] {
  if (rows.some(isTimed)) return 'timed';
  if (rows.some((r) => r.status === 'errored' || r.status === 'check-failed')) return 'errored';
  return rows.length > 0 ? 'unavailable' : 'not run';
}

const BACKEND_ORDER = BACKENDS.map((b) => b.name);
const backendRank = (name: string) =>
  BACKEND_ORDER.includes(name) ? BACKEND_ORDER.indexOf(name) : BACKEND_ORDER.length;

/** Series in the order of their first run; in each, the registry's backends first, then implementations by name. */
function columnsOf(merged: readonly MergedRow[]): OverviewColumn[] {
  const seen = new Map<string, OverviewColumn>();
  for (const m of merged) {
    const key = `${m.machine}\u0000${m.row.backend}`;
    if (!seen.has(key)) seen.set(key, { series: m.machine, testbed: m.testbed, backend: m.row.backend });
  }
  const series = [...new Set(merged.map((m) => m.machine))];
  return [...seen.values()].sort(
    (a, b) =>
      series.indexOf(a.series) - series.indexOf(b.series) ||
      backendRank(a.backend) - backendRank(b.backend) ||
      a.backend.localeCompare(b.backend),
  );
}

/**
 * The baseline column: the series named (its id, a prefix before " @ " or " on ", or a pre-testbed machine label) and
 * backend.
 */
function baselineIndex(
  columns: readonly OverviewColumn[],
  merged: readonly MergedRow[],
  machine?: string,
  backend?: string,
): number {
  const series = [...new Set(columns.map((c) => c.series))];
  const labels = new Map<string, Set<string>>();
  for (const m of merged) labels.set(m.machine, (labels.get(m.machine) ?? new Set()).add(machineLabel(m.run.context)));
  const ofTestbed = (s: string, name: string) => columns.some((c) => c.series === s && c.testbed === name);
  const prefix = (s: string, name: string) => s.startsWith(`${name} @ `) || s.startsWith(`${name} on `);
  const matches = (s: string, name: string) =>
    prefix(s, name) || ofTestbed(s, name) || Boolean(labels.get(s)?.has(name));
  const chosen =
    machine === undefined ? series[0] : (series.find((s) => s === machine) ?? series.find((s) => matches(s, machine)));
  if (chosen === undefined)
    throw new BaselineNotFound(
      `--baseline-machine '${machine}' is not among the machines (testbeds): ${series.join('; ')}`,
    );
  const own = columns.map((c, i) => [c, i] as const).filter(([c]) => c.series === chosen);
  const found = backend === undefined ? own[0] : own.find(([c]) => c.backend === backend);
  const backends = own.map(([c]) => c.backend).join(', ');
  if (!found)
    throw new BaselineNotFound(`--baseline-backend '${backend}' has no column on ${chosen}; its backends: ${backends}`);
  return found[1];
}

function cellOf(pool: Pool, base: Pool | undefined, isBaseline: boolean, rng: Rng, draws: number): OverviewCell {
  const state = stateOf(pool.rows);
  const checkFailed = pool.rows.some((r) => r.status === 'check-failed' || r.check === 'fail');
  const error = pool.rows.find((r) => r.status === 'errored')?.error;
  const cell = {
    state,
    checkFailed,
    throughput: pool.throughput,
    unit: pool.unit,
    samples: pool.sorted.length,
    runs: pool.runs,
    ...(error ? { error } : {}),
  };
  if (state !== 'timed' || pool.throughput === undefined || base?.throughput === undefined) return cell;
  if (isBaseline) return { ...cell, ratio: 1 };
  const ratio = pool.throughput / base.throughput;
  if (pool.sorted.length === 0 || base.sorted.length === 0) return { ...cell, ratio };
  // Throughput ratio = (work / median) over (base work / base median): the medians' ratio, base over this one.
  const scale = pool.work / base.work;
  const { low, high } = ratioOfMediansInterval(base.sorted, pool.sorted, rng, draws, INTERVAL_LEVEL);
  return { ...cell, ratio, low: scale * low, high: scale * high };
}

export interface OverviewChoice {
  readonly machine?: string;
  readonly backend?: string;
  readonly draws?: number;
  readonly seed?: number;
}

export function buildOverview(merged: readonly MergedRow[], choice: OverviewChoice = {}): Overview {
  const draws = choice.draws ?? BOOTSTRAP_DRAWS;
  const seed = choice.seed ?? BOOTSTRAP_SEED;
  const all = columnsOf(merged);
  const byKey = new Map<string, Row[]>();
  const cells = new Map<string, Pick<Row, 'model' | 'workload' | 'size'>>();
  for (const m of merged) {
    const key = `${cellLabel(m.row)}\u0000${m.machine}\u0000${m.row.backend}`;
    const list = byKey.get(key);
    if (list) list.push(m.row);
    else byKey.set(key, [m.row]);
    if (!cells.has(cellLabel(m.row))) cells.set(cellLabel(m.row), m.row);
  }
  const rowsOf = (cell: string, c: OverviewColumn) => byKey.get(`${cell}\u0000${c.series}\u0000${c.backend}`) ?? [];
  const shown = all.filter((c) =>
    [...cells.keys()].some((cell) => rowsOf(cell, c).some((r) => r.status !== 'unavailable')),
  );
  const unavailable = all.filter((c) => !shown.includes(c));
  if (shown.length === 0)
    return { columns: [], baseline: -1, rows: [], geomean: [], unavailable, draws, level: INTERVAL_LEVEL, seed };
  const baseline = baselineIndex(shown, merged, choice.machine, choice.backend);
  const rows = [...cells].map(([label, r]) => {
    const pools = shown.map((c) => poolOf(rowsOf(label, c)));
    const rng = (j: number) => new Rng(deriveSeed(seed, `${label}\u0000${shown[j].series}\u0000${shown[j].backend}`));
    const out = pools.map((p, j) => cellOf(p, pools[baseline], j === baseline, rng(j), draws));
    return { model: r.model, workload: r.workload, size: r.size, label, cells: out };
  });
  const geomean = shown.map((_, j) => {
    const ratios = rows.map((r) => r.cells[j].ratio).filter((x): x is number => x !== undefined && x > 0);
    return ratios.length === 0
      ? { cells: 0 }
      : { ratio: Math.exp(ratios.reduce((s, x) => s + Math.log(x), 0) / ratios.length), cells: ratios.length };
  });
  return { columns: shown, baseline, rows, geomean, unavailable, draws, level: INTERVAL_LEVEL, seed };
}
