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
  readonly runs: number;
}

export interface SeriesTrend {
  readonly row: string;
  readonly machine: string;
  readonly first: Commit;
  readonly lastCommit: Commit;
  readonly time?: MeasureTrend;
  readonly quality?: MeasureTrend;
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

export async function loadPoints(
  connection: DuckDBConnection,
  filter: TrendFilter,
): Promise<{ points: CommitPoint[]; dirtyRuns: number }> {
  const prefix = literalPrefix(filter.row);
  const withImpl = `${ROW_KEY} || '/' || coalesce(r.implementation, '')`;
  const where = [
    ...prefix.sql,
    `($re IS NULL OR regexp_full_match(${ROW_KEY}, $re) OR ` + `regexp_full_match(${withImpl}, $re))`,
  ];
  where.push(`($machine IS NULL OR regexp_full_match(u.machine, $machine))`);
  const glob = (p: string | undefined) => (p ? globToRegExp(p).source : null);
  const params = { ...prefix.params, re: glob(filter.row), machine: glob(filter.machine) };
  const dirtyWhere = filter.dirty ? 'false' : 'u.git_dirty';
  const sql = `SELECT ${ROW_KEY} || '/' || coalesce(r.implementation, '') AS row, u.machine, u.git_sha,
      median(r.median_ms) FILTER (WHERE r.median_ms > 0),
      count(DISTINCT r.run_id), any_value(r.objective_name), median(r.objective) FILTER (WHERE isfinite(r.objective))
    FROM rows r JOIN runs u USING (run_id) WHERE ${where.join(' AND ')} AND NOT ${dirtyWhere} GROUP BY ALL`;
  try {
    const rows = (await connection.runAndReadAll(sql, params)).getRowsJS();
    const dirty = (
      await connection.runAndReadAll(
        `SELECT count(DISTINCT run_id) FROM rows r JOIN runs u USING ` +
          `(run_id) WHERE ${where.join(' AND ')} AND ${dirtyWhere}`,
        params,
      )
    ).getRowsJS();
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const points = rows.map((r) => ({
      row: String(r[0]),
      machine: String(r[1]),
      sha: String(r[2]),
      medianMs: num(r[3]),
      runs: Number(r[4]),
      objectiveName: r[5] === null ? null : String(r[5]),
      objective: num(r[6]),
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

/**
 * One series: its points in first-parent order, time and objective fitted apart (a row may have one without the other).
 */
function seriesTrend(
  row: string,
  machine: string,
  points: readonly (CommitPoint & { commit: Commit })[],
  options: TrendOptions,
): SeriesTrend {
  const ordered = [...points].sort((a, b) => a.commit.position - b.commit.position);
  const timed = ordered.filter((p) => p.medianMs !== null);
  const judged = ordered.filter((p) => p.objective !== null);
  return {
    row,
    machine,
    first: ordered[0].commit,
    lastCommit: ordered[ordered.length - 1].commit,
    time:
      timed.length > 0
        ? measureTrend(
            'median time',
            timed.map((p) => p.commit),
            timed.map((p) => p.medianMs!),
            true,
            options,
          )
        : undefined,
    quality:
      judged.length > 0
        ? measureTrend(
            judged[0].objectiveName ?? 'objective',
            judged.map((p) => p.commit),
            judged.map((p) => p.objective!),
            false,
            options,
          )
        : undefined,
    ...(options.keepPoints
      ? { points: ordered.map(({ commit, medianMs, objective, runs }) => ({ commit, medianMs, objective, runs })) }
      : {}),
  };
}

export function buildTrends(
  points: readonly CommitPoint[],
  history: FirstParentHistory,
  dirtyRuns: number,
  options: TrendOptions = {},
): TrendReport {
  const groups = new Map<string, (CommitPoint & { commit: Commit })[]>();
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
