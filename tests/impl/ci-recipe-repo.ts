// The CI recipe tests' git repository: files of examples/ci-recipe committed in a temporary folder,
// beside which `git worktree add ../baseline` puts the version to compare against.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const RECIPE = path.resolve(import.meta.dirname, '../../examples/ci-recipe');

export function git(args: string[], cwd: string) {
  execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.org', ...args], { cwd, stdio: 'pipe' });
}

/** Runs `body` in a fresh repository whose first commit holds `files` of examples/ci-recipe; removed after. */
export function inRecipeRepo(files: readonly string[], body: (repo: string) => void): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-ci-recipe-'));
  try {
    const repo = path.join(root, 'repo');
    fs.mkdirSync(repo);
    for (const f of files) fs.copyFileSync(path.join(RECIPE, f), path.join(repo, f));
    git(['init', '-q'], repo);
    git(['add', '.'], repo);
    git(['commit', '-qm', 'the implementation'], repo);
    body(repo);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
