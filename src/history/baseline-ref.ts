// `compare --ref`: which commits of the main branch a gate's baseline comes from. merge-base is
// where a branch left main (a pull request's fair baseline: main's later commits are not in it);
// main~N is one commit of main; window:K pools the K most recent commits of main with runs, up to
// that merge-base (and before the candidate's own commit, when the candidate is on main).
import { execFileSync } from 'node:child_process';
import { HistoryError } from '../errors.js';
import { gitOutput } from './git.js';

export type BaselineRef =
  | { readonly kind: 'merge-base' }
  | { readonly kind: 'at'; readonly back: number }
  | { readonly kind: 'window'; readonly commits: number };

/** The most commits of main a window looks back through for K commits with runs. */
export const WINDOW_LOOKBACK = 1000;
const MAX_WINDOW = 100;

export function parseBaselineRef(text: string, main: string): BaselineRef {
  if (text === 'merge-base') return { kind: 'merge-base' };
  const window = /^window:(\d+)$/.exec(text);
  if (window && Number(window[1]) >= 1 && Number(window[1]) <= MAX_WINDOW)
    return { kind: 'window', commits: Number(window[1]) };
  if (text === main) return { kind: 'at', back: 0 };
  const at = text.startsWith(`${main}~`) ? /^(\d+)$/.exec(text.slice(main.length + 1)) : null;
  if (at && Number(at[1]) <= WINDOW_LOOKBACK) return { kind: 'at', back: Number(at[1]) };
  throw new HistoryError(
    `--ref '${text}': expected merge-base, ${main}~N (N from 0 to ${WINDOW_LOOKBACK}) or window:K (K from 1 to ` +
      `${MAX_WINDOW}), e.g. --ref window:5 (the main branch is --main, now '${main}')`,
  );
}

export interface BaselineCommit {
  readonly sha: string;
  readonly subject: string;
}

/** The commits the baseline may come from, newest first; `take` of them (those with runs) are pooled. */
export interface BaselineCommits {
  readonly commits: readonly BaselineCommit[];
  readonly take: number;
  /** What was looked for, for the line that says which runs were chosen, or that none was. */
  readonly what: string;
}

function git(repo: string, args: string[]): string {
  return gitOutput(
    repo,
    args,
    64,
    (reason) =>
      `--repo ${repo}: git ${args.join(' ')} failed (${reason}); give the candidate's git checkout with --repo DIR ` +
      `and its main branch with --main B (in CI, fetch main's history: actions/checkout with fetch-depth: 0)`,
  ).trim();
}

const short = (sha: string) => sha.slice(0, 7);

/** The candidate's commit when this checkout has it (a run names the commit it measured), else HEAD, said. */
function candidateCommit(repo: string, candidateSha: string | undefined): { sha: string; named: string } {
  const known =
    candidateSha && candidateSha !== 'unknown' && /^[0-9a-f]{7,40}$/.test(candidateSha)
      ? execFileSafe(repo, ['rev-parse', '--verify', '--quiet', `${candidateSha}^{commit}`])
      : undefined;
  if (known) return { sha: known, named: `the candidate's commit ${short(known)}` };
  const head = git(repo, ['rev-parse', '--verify', 'HEAD^{commit}']);
  const why =
    candidateSha && candidateSha !== 'unknown'
      ? `; the candidate's commit ${short(candidateSha)} is not in --repo`
      : '';
  return { sha: head, named: `HEAD ${short(head)}${why}` };
}

function execFileSafe(repo: string, args: string[]): string | undefined {
  try {
    return (
      execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

function firstParents(repo: string, from: string, n: number): BaselineCommit[] {
  const lines = git(repo, ['log', '--first-parent', `--max-count=${n}`, '--format=%H%x09%s', from, '--'])
    .split('\n')
    .filter(Boolean);
  return lines.map((l) => ({ sha: l.slice(0, 40), subject: l.slice(41) }));
}

/** Resolves a --ref against the checkout: the commits whose runs may be the baseline. */
export function baselineCommits(
  repo: string,
  main: string,
  ref: BaselineRef,
  candidateSha: string | undefined,
): BaselineCommits {
  if (main.startsWith('-')) throw new HistoryError(`--main '${main}': a branch name, not an option`);
  const mainSha = git(repo, ['rev-parse', '--verify', `${main}^{commit}`]);
  if (ref.kind === 'at') {
    const sha = git(repo, ['rev-parse', '--verify', `${mainSha}~${ref.back}^{commit}`]);
    return { commits: firstParents(repo, sha, 1), take: 1, what: `${main}~${ref.back} (${short(sha)})` };
  }
  const from = candidateCommit(repo, candidateSha);
  const base = git(repo, ['merge-base', from.sha, mainSha]);
  if (ref.kind === 'merge-base') {
    return {
      commits: firstParents(repo, base, 1),
      take: 1,
      what: `the merge-base of ${from.named} and ${main} (${short(base)})`,
    };
  }
  // A candidate on main would otherwise be its own baseline: the window starts before it.
  const start = base === from.sha ? 1 : 0;
  const commits = firstParents(repo, base, WINDOW_LOOKBACK + start).slice(start);
  const last = `the last ${ref.commits} commit(s) of ${main} with runs`;
  const where =
    start === 1 ? `before ${from.named}` : `up to ${short(base)}, the merge-base of ${from.named} and ${main}`;
  return { commits, take: ref.commits, what: `${last} ${where}` };
}
