// One probe of a bisect: the commit checked out in its own git worktree, built (npm ci from the
// shared npm cache, when the commit has a package-lock.json), and the one cell timed by
// `modelbench run`: this checkout's harness timing the commit's implementation under test (--impl),
// or the commit's own modelbench timing itself.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LoadedRun } from '../results/load-runs.js';
import { ROOT } from '../layout.js';
import { cellSuite, probedRow, runIn, type BisectCell, type BisectCommit } from './bisect.js';
import { countedRow, type Measure } from './bisect-judge.js';

export interface ProbeSetup {
  readonly repo: string;
  readonly scratch: string;
  readonly cell: BisectCell;
  /** An implementation under test: its name and its path inside the bisected repository. */
  readonly impl?: { readonly name: string; readonly path: string };
  readonly timeMs: number;
  readonly noSandbox: boolean;
  /** npm's cache, shared by every probe's `npm ci` (npm's own default when not given). */
  readonly npmCache?: string;
  /** What `modelbench run` measures of the cell: its time, or its counted instructions (--measure instructions). */
  readonly measure: Measure;
  /** Counted probes: the span GOOD was counted over, so that every probe is counted over it too. */
  readonly countSpan?: number;
}

/** How long one build or one run may take before the commit counts as one that does not run. */
const STEP_TIMEOUT_MS = 20 * 60_000;

export function rowKeyOf(setup: ProbeSetup): string {
  const backend = setup.impl ? `impl:${setup.impl.name}` : setup.cell.backend;
  return `${setup.cell.model}/${setup.cell.workload}/${setup.cell.size}/${backend}`;
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1)?.slice(0, 200) ?? '';
}

function build(worktree: string, npmCache: string | undefined): string | undefined {
  if (!fs.existsSync(path.join(worktree, 'package-lock.json'))) return undefined;
  const args = ['ci', '--prefer-offline', '--no-audit', '--no-fund', ...(npmCache ? ['--cache', npmCache] : [])];
  const r = spawnSync('npm', args, { cwd: worktree, encoding: 'utf8', timeout: STEP_TIMEOUT_MS });
  return r.status === 0
    ? undefined
    : `does not build (npm ci: ${lastLine(r.stderr || r.stdout) || r.error?.message || `exit ${r.status}`})`;
}

function runCell(setup: ProbeSetup, worktree: string, out: string): string | undefined {
  const suite = path.join(out, 'suite.json');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(suite, JSON.stringify(cellSuite(setup.cell, setup.timeMs)));
  const runs = path.join(out, 'runs');
  const measure = setup.measure === 'instructions' ? ['--measure', 'instructions'] : [];
  const span = setup.countSpan === undefined ? [] : ['--count-span', String(setup.countSpan)];
  const sandbox = setup.noSandbox ? ['--no-sandbox'] : [];
  const common = ['run', '--suite', suite, '--skip-peers', '--out', runs, ...measure, ...span, ...sandbox];
  const args = setup.impl
    ? [
        path.join(ROOT, 'bin/modelbench.mjs'),
        ...common,
        '--no-reference',
        '--impl',
        `${setup.impl.name}=${path.join(worktree, setup.impl.path)}`,
      ]
    : [path.join(worktree, 'bin/modelbench.mjs'), ...common, '--backends', setup.cell.backend!];
  const r = spawnSync(process.execPath, args, {
    cwd: worktree,
    encoding: 'utf8',
    timeout: STEP_TIMEOUT_MS,
    env: { ...process.env, CI: '1' },
  });
  return r.status === 0
    ? undefined
    : `does not run (modelbench run exit ${r.status ?? r.signal}: ${lastLine(r.stderr) || lastLine(r.stdout)})`;
}

/** Builds and times one commit; `why` says why it could not (a skipped commit), the worktree removed either way. */
export function probeCommit(setup: ProbeSetup, commit: BisectCommit): { run?: LoadedRun; why?: string } {
  const worktree = path.join(setup.scratch, `worktree-${commit.sha.slice(0, 12)}`);
  const git = (args: string[]) =>
    execFileSync('git', ['-C', setup.repo, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    git(['worktree', 'add', '--detach', '--force', worktree, commit.sha]);
  } catch (e) {
    return { why: `cannot be checked out (${lastLine(String((e as { stderr?: unknown }).stderr ?? e))})` };
  }
  try {
    const broken = build(worktree, setup.npmCache);
    if (broken) return { why: broken };
    const out = path.join(setup.scratch, `out-${commit.sha.slice(0, 12)}`);
    const failed = runCell(setup, worktree, out);
    const picked = setup.measure === 'instructions' ? countedRow : probedRow;
    const { run, why } = picked(runIn(path.join(out, 'runs')), rowKeyOf(setup), failed ?? 'its run has no such row');
    // The row's own error says more than the run's exit; a run with no such row says why itself.
    return run ? { run } : { why: why!.startsWith('does not') ? why : `does not run (${why})` };
  } finally {
    spawnSync('git', ['-C', setup.repo, 'worktree', 'remove', '--force', worktree]);
  }
}
