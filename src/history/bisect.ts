// `modelbench bisect GOOD BAD --row PATTERN`: the first commit of BAD's first-parent history after
// GOOD at which one row is slower than at GOOD, as the gate judges it (compare/gate.ts, with its
// minimum effect). GOOD is built and timed once; BAD is taken as slower, as `git bisect` takes it,
// so n commits cost at most ceil(log2 n) + 1 builds (one more when the answer is BAD itself: it is
// timed then, for the verdict at the boundary). A commit that does not build or run is skipped like
// `git bisect skip`: the nearest other commit of the interval is tried instead.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compare, GATE_DEFAULTS, type SpeedRow } from '../gate/gate.js';
import { loadSide, rowKey, type LoadedRun } from '../results/load-runs.js';
import { pool } from '../stats/pool.js';
import { HistoryError } from '../errors.js';

export type ProbeOutcome = 'slower' | 'not slower' | 'skipped';

export interface SearchResult {
  /** The last index known not slower (0: GOOD) and the first known slower (n: BAD, unless a probe found it). */
  readonly lastGood: number;
  readonly firstSlower: number;
  /** Indices between the two that were skipped: the step is somewhere in lastGood+1..firstSlower. */
  readonly skippedBetween: readonly number[];
  readonly probed: readonly number[];
}

/** The candidate to try in (lo, hi): the middle, or the nearest one to it not skipped yet. */
function nextCandidate(lo: number, hi: number, skipped: ReadonlySet<number>): number | undefined {
  const mid = Math.floor((lo + hi) / 2);
  for (let d = 0; d < hi - lo; d++) {
    for (const i of [mid + d, mid - d]) if (i > lo && i < hi && !skipped.has(i)) return i;
  }
  return undefined;
}

/**
 * Binary search over commits 1..n-1 (0 is GOOD, n is BAD): each probe halves the interval in which the first slower
 * commit lies.
 */
export async function searchFirstSlower(
  n: number,
  probe: (index: number) => Promise<ProbeOutcome>,
): Promise<SearchResult> {
  let lo = 0;
  let hi = n;
  const skipped = new Set<number>();
  const probed: number[] = [];
  for (let i = nextCandidate(lo, hi, skipped); i !== undefined; i = nextCandidate(lo, hi, skipped)) {
    probed.push(i);
    const outcome = await probe(i);
    if (outcome === 'skipped') skipped.add(i);
    else if (outcome === 'slower') hi = i;
    else lo = i;
  }
  return {
    lastGood: lo,
    firstSlower: hi,
    skippedBetween: [...skipped].filter((i) => i > lo && i < hi).sort((a, b) => a - b),
    probed,
  };
}

export interface BisectCommit {
  readonly sha: string;
  readonly subject: string;
}

/** The commits after GOOD up to BAD along BAD's first-parent history, oldest first; GOOD itself first. */
export function bisectRange(repo: string, good: string, bad: string): BisectCommit[] {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch (e) {
      const reason = String((e as { stderr?: unknown }).stderr ?? e)
        .trim()
        .split('\n')[0];
      throw new HistoryError(
        `--repo ${repo}: git ${args.join(' ')} failed (${reason}); give ` +
          `commits this checkout has (GOOD older than BAD)`,
      );
    }
  };
  const [goodSha, badSha] = [
    git(['rev-parse', '--verify', `${good}^{commit}`]),
    git(['rev-parse', '--verify', `${bad}^{commit}`]),
  ];
  if (spawnSync('git', ['-C', repo, 'merge-base', '--is-ancestor', goodSha, badSha]).status !== 0) {
    throw new HistoryError(
      `GOOD ${good} is not an ancestor of BAD ${bad}; give an older commit ` +
        `as GOOD (bisect walks BAD's first-parent history back to it)`,
    );
  }
  const lines = git(['log', '--first-parent', '--reverse', '--format=%H%x09%s', `${goodSha}..${badSha}`])
    .split('\n')
    .filter(Boolean);
  const subject = git(['log', '-1', '--format=%s', goodSha]);
  return [{ sha: goodSha, subject }, ...lines.map((l) => ({ sha: l.slice(0, 40), subject: l.slice(41) }))];
}

/** One row's cell, parsed from PATTERN: model/workload/size[/backend], size as the rows' `key=value;key=value`. */
export interface BisectCell {
  readonly model: string;
  readonly workload: string;
  readonly size: string;
  readonly backend?: string;
}

export function parseCell(pattern: string): BisectCell {
  const parts = pattern.split('/');
  const sizeOk = (s: string | undefined) =>
    s !== undefined && s.split(';').every((kv) => /^[A-Za-z_]\w*=[^;=]+$/.test(kv));
  if (parts.length < 3 || parts.length > 4 || parts.includes('') || pattern.includes('*') || !sizeOk(parts[2])) {
    throw new HistoryError(
      `--row '${pattern}': bisect times one cell: give model/workload/size[/backend] exactly, ` +
        `e.g. 'logreg/predict/rows=2000;cols=10/wasm'`,
    );
  }
  return { model: parts[0], workload: parts[1], size: parts[2], backend: parts[3] };
}

/** A one-cell suite for `modelbench run`: the row's cell and size, with the timing asked for. */
export function cellSuite(cell: BisectCell, timeMs: number): object {
  const size = Object.fromEntries(
    cell.size
      .split(';')
      .map((kv) => kv.split('='))
      .map(([k, v]) => [k, Number.isFinite(Number(v)) ? Number(v) : v]),
  );
  return {
    name: 'bisect',
    description: `modelbench bisect: ${cell.model}/${cell.workload}/${cell.size} only`,
    timing: { timeMs, minIterations: 20, warmupIterations: 3 },
    cells: [{ model: cell.model, workload: cell.workload, sizes: [size] }],
  };
}

/** The gate on one row: GOOD's run against a probe's. */
export function judge(baseline: LoadedRun, candidate: LoadedRun, key: string, minEffect: number): SpeedRow | undefined {
  return compare(pool([baseline]), pool([candidate]), { ...GATE_DEFAULTS, minEffect }).speed.find((s) => s.key === key);
}

/**
 * The run if it timed the row (a row whose check failed was still timed), or why not: the row's own error, or the run's
 * failure.
 */
export function probedRow(run: LoadedRun | undefined, key: string, failure: string): { run?: LoadedRun; why?: string } {
  const row = run?.rows.find((r) => rowKey(r) === key);
  if (row && (row.status === 'ok' || row.status === 'check-failed') && (row.rawSamples?.length ?? 0) > 0)
    return { run };
  return { why: row ? `${row.status}: ${(row.error ?? '').split('\n')[0].slice(0, 160)}` : failure };
}

/** The run folder `modelbench run --out DIR` left, if any. */
export function runIn(dir: string): LoadedRun | undefined {
  try {
    return loadSide(dir, { allowMixed: true })[0];
  } catch {
    return undefined;
  }
}

export function scratchDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-bisect-'));
}
