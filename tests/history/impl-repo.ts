// A small git history of the example implementation under test (examples/ci-recipe/logreg.mjs):
// a planted slowdown of predict at one commit, and a commit after it that does not load.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from '../helpers/data.js';

export interface ImplRepo {
  readonly dir: string;
  /** Oldest first. */
  readonly commits: string[];
  readonly slowerAt: number;
  readonly brokenAt: number;
}

export function implRepo(dir: string): ImplRepo {
  const original = fs.readFileSync(path.join(REPO, 'examples/ci-recipe/logreg.mjs'), 'utf8');
  const slow = original.replace('const PASSES = 10;', 'const PASSES = 25;');
  if (slow === original) throw new Error('examples/ci-recipe/logreg.mjs no longer has "const PASSES = 10;": update the planted slowdown');
  const versions = [
    ['the example', original],
    ['a comment', `${original}// one\n`],
    ['another comment', `${original}// two\n`],
    ['a third comment', `${original}// three\n`],
    ['predict scores the rows 25 times', slow],
    ['a typo that does not load', `${slow}\nexport const = ;\n`],
    ['the typo fixed', `${slow}// fixed\n`],
    ['a last comment', `${slow}// last\n`],
  ] as const;
  fs.mkdirSync(dir, { recursive: true });
  const who = ['-c', 'user.name=T', '-c', 'user.email=t@example.com'];
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...who, ...args], { encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  const commits = versions.map(([subject, text]) => {
    fs.writeFileSync(path.join(dir, 'logreg.mjs'), text);
    git('add', 'logreg.mjs');
    git('commit', '-q', '-m', subject);
    return git('rev-parse', 'HEAD');
  });
  return { dir, commits, slowerAt: 4, brokenAt: 5 };
}
