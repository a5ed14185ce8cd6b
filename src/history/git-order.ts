// The order a series is read in: the first-parent history of a branch (a merge is one step of the
// branch, its side branch's commits are not), oldest first. Timestamps would interleave branches
// and re-runs of old commits.
import { HistoryError } from '../errors.js';
import { gitOutput } from './git.js';

export interface Commit {
  readonly sha: string;
  readonly subject: string;
  /** 0 for the oldest commit of the branch's first-parent history. */
  readonly position: number;
}

export interface FirstParentHistory {
  readonly ref: string;
  readonly commits: readonly Commit[];
  readonly bySha: ReadonlyMap<string, Commit>;
}

function git(repo: string, args: string[], ref: string): string {
  return gitOutput(
    repo,
    args,
    256,
    (reason) =>
      `--repo ${repo}: cannot read the history of ${ref} (${reason}); ` +
      `give a git checkout with --repo DIR and a branch it has with --branch B`,
  );
}

export function firstParentHistory(repo: string, ref: string): FirstParentHistory {
  if (ref.startsWith('-')) throw new HistoryError(`--branch '${ref}': a branch, tag or commit name, not an option`);
  const lines = git(repo, ['log', '--first-parent', '--reverse', '--format=%H%x09%s', ref, '--'], ref)
    .split('\n')
    .filter(Boolean);
  const commits = lines.map((line, position) => {
    const tab = line.indexOf('\t');
    return { sha: line.slice(0, tab), subject: line.slice(tab + 1), position };
  });
  return { ref, commits, bySha: new Map(commits.map((c) => [c.sha, c])) };
}

/**
 * The commit a run names: its full sha, or an abbreviation of at least 7 characters that one commit of the history
 * starts with.
 */
export function commitOf(history: FirstParentHistory, sha: string): Commit | undefined {
  const exact = history.bySha.get(sha);
  if (exact || sha.length < 7 || sha.length >= 40) return exact;
  const matches = history.commits.filter((c) => c.sha.startsWith(sha));
  return matches.length === 1 ? matches[0] : undefined;
}
