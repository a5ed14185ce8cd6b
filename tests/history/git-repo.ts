// A synthetic git history made in one `git fast-import` (1,000 commits in well under a second): a
// main branch, optionally with a side branch merged into it, so first-parent order can be checked.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface SyntheticRepo {
  readonly dir: string;
  /** main's first-parent commits, oldest first (the merge commit among them). */
  readonly main: string[];
  /** The side branch's commits, reachable from main only through the merge. */
  readonly side: string[];
}

function commitText(mark: number, subject: string, time: number, from: number | undefined, merge?: number): string {
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const parents = `${from ? `from :${from}\n` : ''}${merge ? `merge :${merge}\n` : ''}`;
  const branch = merge === undefined && subject.startsWith('side') ? 'side' : 'main';
  const header = `commit refs/heads/${branch}\nmark :${mark}\ncommitter T <t@example.com> ${time} +0000\n`;
  return `${header}${data(subject)}${parents}M 644 inline f.txt\n${data(`${mark}\n`)}`;
}

/** `commits` commits on main; with `sideAt`, a side branch of `sideCommits` forks at that main commit and merges back at the next. */
export function syntheticRepo(dir: string, commits: number, sideAt?: number, sideCommits = 3): SyntheticRepo {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const script: string[] = [];
  const mainMarks: number[] = [];
  const sideMarks: number[] = [];
  let mark = 0;
  for (let i = 0; i < commits; i++) {
    const merging = sideAt !== undefined && i === sideAt + 1;
    if (merging) {
      for (let k = 0; k < sideCommits; k++) script.push(commitText(++mark, `side ${k}`, 1_700_000_000 + mark, k === 0 ? mainMarks[sideAt] : sideMarks[k - 1]));
      sideMarks.push(...Array.from({ length: sideCommits }, (_, k) => mark - sideCommits + 1 + k));
    }
    const subject = merging ? `merge side into main` : `commit ${i}`;
    script.push(commitText(++mark, subject, 1_700_000_000 + mark, mainMarks.at(-1), merging ? sideMarks.at(-1) : undefined));
    mainMarks.push(mark);
  }
  const marks = path.join(dir, '.git', 'marks');
  execFileSync('git', ['-C', dir, 'fast-import', '--quiet', `--export-marks=${marks}`], { input: script.join('') });
  const sha = new Map(fs.readFileSync(marks, 'utf8').trim().split('\n').map((l) => [Number(l.split(' ')[0].slice(1)), l.split(' ')[1]] as const));
  return { dir, main: mainMarks.map((m) => sha.get(m)!), side: sideMarks.map((m) => sha.get(m)!) };
}
