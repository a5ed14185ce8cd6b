// git as the history commands read it: a command's output, or one line saying why it failed (git
// missing, or git's own first line of complaint) with the fix that suits the caller.
import { execFileSync } from 'node:child_process';
import { HistoryError } from '../errors.js';

/** git's output in `repo`; on failure a HistoryError with `explain(reason)`. */
export function gitOutput(
  repo: string,
  args: readonly string[],
  maxMb: number,
  explain: (reason: string) => string,
): string {
  try {
    return execFileSync('git', ['-C', repo, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: maxMb * 2 ** 20,
    });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '')
      .trim()
      .split('\n')[0];
    const reason =
      (e as { code?: string }).code === 'ENOENT'
        ? 'git is not installed'
        : stderr || (e instanceof Error ? e.message : String(e));
    throw new HistoryError(explain(reason));
  }
}
