// `history trend`: each row's series per machine, ordered by the first-parent history of a branch,
// with the steps in its log(median time) and in its objective. One point per commit: the median over
// the runs of that commit on that machine.
import type { DuckDBConnection } from '@duckdb/node-api';
import { globToRegExp } from '../glob.js';
import { commitOf, type Commit, type FirstParentHistory } from './git-order.js';
import { detectSteps, type StepFit, type StepOptions } from './steps.js';
import { duckdbReason } from './store.js';
import { HistoryError } from '../errors.js';

export interface TrendFilter {
  /** Glob over model/workload/size/backend, or model/workload/size/backend/implementation. */
  readonly row?: string;
  /** Glob over the machine label, "host (cpu model xN)". */
  readonly machine?: string;
  /** Runs of a checkout with uncommitted changes measure no commit: left out unless asked for. */
  readonly dirty?: boolean;
}

/** One (row, machine, commit): what the store holds for it. */
export interface CommitPoint {
  readonly row: string;
  readonly machine: string;
  readonly sha: string;
  readonly medianMs: number | null;
  readonly runs: number;
  readonly objectiveName: string | null;
  readonly objective: number | null;
  /** Counted rows of this commit, one per span counted (per-call counts are comparable within a span only). */
  readonly counted?: readonly CountedAt[];
}

/** The medians over a commit's counted runs of a row at one span (run --count-span): per call. */
export interface CountedAt {
  readonly span: number;
  readonly estCycles: number;
  readonly instructions: number | null;
}

export interface FoundStep {
  readonly commit: Commit;
  /** The commit of the point before the step: the change lies after it, up to and including `commit`. */
  readonly previous: Commit;
  readonly before: number;
  readonly after: number;
  /** after / before - 1 for times; after - before for an objective. */
  readonly change: number;
  readonly z: number;
  readonly pAt: number;
  readonly pNear: number;
}

export interface MeasureTrend {
  readonly name: string;
  readonly points: number;
  readonly last: number;
  /** The noise the fit estimated: relative for times (a standard deviation of log time), absolute for an objective. */
  readonly noise: number;
  readonly steps: readonly FoundStep[];
  readonly outliers: readonly Commit[];
}

/** One point of a series as a chart draws it: its commit and what that commit's runs measured. */
export interface TrendPoint {
  readonly commit: Commit;
  readonly medianMs: number | null;
  readonly objective: number | null;
  /** Estimated cycles per call at the series' counted span (SeriesTrend.countedSpan), when counted there. */
  readonly estCycles: number | null;
  readonly runs: number;
}

export interface SeriesTrend {
  readonly row: string;
  readonly machine: string;
  readonly first: Commit;
  readonly lastCommit: Commit;
  readonly time?: MeasureTrend;
  readonly quality?: MeasureTrend;
  /** Counted rows: estimated cycles and instructions per call, at the span of the series' latest counted commit. */
  readonly cycles?: MeasureTrend;
  readonly instructions?: MeasureTrend;
  readonly countedSpan?: number;
  /** Counted commits left out of the counted series because they were counted over another span. */
  readonly otherSpans?: number;
  /** The points in first-parent order, kept when asked for (the report's charts); `history trend` prints the fit. */
  readonly points?: readonly TrendPoint[];
}

export interface TrendOptions extends StepOptions {
  readonly keepPoints?: boolean;
}

export interface TrendReport {
  readonly ref: string;
  readonly series: readonly SeriesTrend[];
  /** Runs whose commit is not in the branch's first-parent history (another branch, or not fetched). */
  readonly notInHistory: { readonly runs: number; readonly commits: readonly string[] };
  readonly dirtyRuns: number;
}

const ROW_KEY = `r.model || '/' || r.workload || '/' || r.size || '/' || r.backend`;

/**
 * The pattern's leading segments without a `*` (model, then workload, then size) as equalities: DuckDB
 * skips most of the table on them before any regular expression runs (a `*` may span a `/`, so the
 * segments after the first one with a `*` fix nothing).
 */
function literalPrefix(pattern: string | undefined): { sql: string[]; params: Record<string, string> } {
  const out = { sql: [] as string[], params: {} as Record<string, string> };
  const columns = ['model', 'workload', 'size'];
  for (const [i, part] of (pattern?.split('/') ?? []).slice(0, 3).entries()) {
    if (part.includes('*')) break;
    out.sql.push(`r.${columns[i]} = $p${i}`);
    out.params[`p${i}`] = part;
  }
  return out;
}

interface SeriesWhere {
  readonly where: string;
  readonly dirtyWhere: string;
  readonly params: Record<string, string | null>;
}

function seriesWhere(filter: TrendFilter): SeriesWhere {
  const prefix = literalPrefix(filter.row);
  const withImpl = `${ROW_KEY} || '/' || coalesce(r.implementation, '')`;
  const where = [
    ...prefix.sql,
    `($re IS NULL OR regexp_full_match(${ROW_KEY}, $re) OR ` + `regexp_full_match(${withImpl}, $re))`,
    `($machine IS NULL OR regexp_full_match(u.machine, $machine))`,
  ];
  const glob = (p: string | undefined) => (p ? globToRegExp(p).source : null);
  return {
    where: where.join(' AND '),
    dirtyWhere: filter.dirty ? 'false' : 'u.git_dirty',
    params: { ...prefix.params, re: glob(filter.row), machine: glob(filter.machine) },
  };
}

const SERIES_KEY = `${ROW_KEY} || '/' || coalesce(r.implementation, '') AS row, u.machine, u.git_sha`;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const pointKey = (row: unknown, machine: unknown, sha: unknown) => `${row}\u0000${machine}\u0000${sha}`;

/**
 * Each commit's counted medians per span. The casts read a version 1 store too, whose counted columns
 * are text.
 */
async function countedPoints(connection: DuckDBConnection, w: SeriesWhere): Promise<Map<string, CountedAt[]>> {
  const cycles = `TRY_CAST(CAST(r.est_cycles_per_call AS VARCHAR) AS DOUBLE)`;
  const sql = `SELECT ${SERIES_KEY}, TRY_CAST(CAST(r.counted_calls AS VARCHAR) AS INTEGER) AS span, median(${cycles}),
      median(TRY_CAST(CAST(r.instructions_per_call AS VARCHAR) AS DOUBLE))
    FROM rows r JOIN runs u USING (run_id)
    WHERE ${w.where} AND NOT ${w.dirtyWhere} AND ${cycles} > 0 AND span IS NOT NULL GROUP BY ALL`;
  const out = new Map<string, CountedAt[]>();
  for (const r of (await connection.runAndReadAll(sql, w.params)).getRowsJS()) {
    const key = pointKey(r[0], r[1], r[2]);
    out.set(key, [...(out.get(key) ?? []), { span: Number(r[3]), estCycles: Number(r[4]), instructions: num(r[5]) }]);
  }
  return out;
}

export async function loadPoints(
  connection: DuckDBConnection,
  filter: TrendFilter,
): Promise<{ points: CommitPoint[]; dirtyRuns: number }> {
  const w = seriesWhere(filter);
  const sql = `SELECT ${SERIES_KEY}, median(r.median_ms) FILTER (WHERE r.median_ms > 0),
      count(DISTINCT r.run_id), any_value(r.objective_name), median(r.objective) FILTER (WHERE isfinite(r.objective))
    FROM rows r JOIN runs u USING (run_id) WHERE ${w.where} AND NOT ${w.dirtyWhere} GROUP BY ALL`;
  try {
    const rows = (await connection.runAndReadAll(sql, w.params)).getRowsJS();
    const dirty = (
      await connection.runAndReadAll(
        `SELECT count(DISTINCT run_id) FROM rows r JOIN runs u USING (run_id) WHERE ${w.where} AND ${w.dirtyWhere}`,
        w.params,
      )
    ).getRowsJS();
    const counted = await countedPoints(connection, w);
    const points = rows.map((r) => ({
      row: String(r[0]),
      machine: String(r[1]),
      sha: String(r[2]),
      medianMs: num(r[3]),
      runs: Number(r[4]),
      objectiveName: r[5] === null ? null : String(r[5]),
      objective: num(r[6]),
      ...(counted.has(pointKey(r[0], r[1], r[2])) ? { counted: counted.get(pointKey(r[0], r[1], r[2])) } : {}),
    }));
    return { points, dirtyRuns: Number(dirty[0]?.[0] ?? 0) };
  } catch (e) {
    throw new HistoryError(
      `cannot read the series (${duckdbReason(e)}); check --row and ` + `--machine (globs: * matches anything)`,
    );
  }
}

function measureTrend(
  name: string,
  commits: readonly Commit[],
  values: readonly number[],
  log: boolean,
  options: StepOptions,
): MeasureTrend {
  const fit: StepFit = detectSteps(log ? values.map(Math.log) : values, options);
  const steps = fit.steps.map((s) => ({
    commit: commits[s.index],
    previous: commits[s.index - 1],
    before: log ? Math.exp(s.before) : s.before,
    after: log ? Math.exp(s.after) : s.after,
    change: log ? Math.exp(s.delta) - 1 : s.delta,
    z: s.z,
    pAt: s.pAt,
    pNear: s.pNear,
  }));
  return {
    name,
    points: values.length,
    last: values[values.length - 1],
    noise: fit.noise,
    steps,
    outliers: fit.outliers.map((i) => commits[i]),
  };
}

type OrderedPoint = CommitPoint & { commit: Commit };

/** A measure over the points that have it: log for times and counts, where a step is a ratio. */
function measureOver(
  name: string,
  points: readonly OrderedPoint[],
  valueOf: (p: OrderedPoint) => number | null,
  log: boolean,
  options: StepOptions,
): MeasureTrend | undefined {
  const having = points.filter((p) => valueOf(p) !== null);
  if (having.length === 0) return undefined;
  return measureTrend(
    name,
    having.map((p) => p.commit),
    having.map((p) => valueOf(p)!),
    log,
    options,
  );
}

/**
 * The counted measures at one span, the latest counted commit's: counts per call from another span
 * differ by the span alone (V8's collections amortised differently), a step that no commit made.
 */
function countedTrends(points: readonly OrderedPoint[], options: StepOptions): Partial<SeriesTrend> {
  const last = points.filter((p) => p.counted?.length).at(-1);
  if (!last) return {};
  const span = last.counted!.at(-1)!.span;
  const at = (p: OrderedPoint) => p.counted?.find((c) => c.span === span);
  return {
    countedSpan: span,
    otherSpans: points.filter((p) => p.counted?.length && !at(p)).length,
    cycles: measureOver(`est. cycles per call (span ${span})`, points, (p) => at(p)?.estCycles ?? null, true, options),
    instructions: measureOver(
      `instructions per call (span ${span})`,
      points,
      (p) => at(p)?.instructions ?? null,
      true,
      options,
    ),
  };
}

/**
 * One series: its points in first-parent order, time, objective and counts fitted apart (a row may have one without
 * the others).
 */
function seriesTrend(
  row: string,
  machine: string,
  points: readonly OrderedPoint[],
  options: TrendOptions,
): SeriesTrend {
  const ordered = [...points].sort((a, b) => a.commit.position - b.commit.position);
  const counted = countedTrends(ordered, options);
  const objectiveName = ordered.find((p) => p.objective !== null)?.objectiveName ?? 'objective';
  const keep = (p: OrderedPoint): TrendPoint => ({
    commit: p.commit,
    medianMs: p.medianMs,
    objective: p.objective,
    estCycles: p.counted?.find((c) => c.span === counted.countedSpan)?.estCycles ?? null,
    runs: p.runs,
  });
  return {
    row,
    machine,
    first: ordered[0].commit,
    lastCommit: ordered[ordered.length - 1].commit,
    time: measureOver('median time', ordered, (p) => p.medianMs, true, options),
    quality: measureOver(objectiveName, ordered, (p) => p.objective, false, options),
    ...counted,
    ...(options.keepPoints ? { points: ordered.map(keep) } : {}),
  };
}

export function buildTrends(
  points: readonly CommitPoint[],
  history: FirstParentHistory,
  dirtyRuns: number,
  options: TrendOptions = {},
): TrendReport {
  const groups = new Map<string, OrderedPoint[]>();
  const missing = new Map<string, number>();
  for (const p of points) {
    const commit = commitOf(history, p.sha);
    if (!commit) {
      missing.set(p.sha, Math.max(missing.get(p.sha) ?? 0, p.runs));
      continue;
    }
    const key = `${p.row}\u0000${p.machine}`;
    groups.set(key, [...(groups.get(key) ?? []), { ...p, commit }]);
  }
  const series = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, ps]) => seriesTrend(key.split('\u0000')[0], key.split('\u0000')[1], ps, options));
  const runs = [...missing.values()].reduce((a, b) => a + b, 0);
  return { ref: history.ref, series, notInHistory: { runs, commits: [...missing.keys()].sort() }, dirtyRuns };
}
