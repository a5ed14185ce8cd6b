// The CI recipe on counts (examples/ci-recipe/README.md, "On counts"), its two modelbench commands read
// from the README and run as written, on commits of the example implementation in a git repository of
// its own: an identical pair passes the counted gate (exit 0); a commit whose predict does 2% more of
// its own work fails it (exit 1), flagged on estimated cycles per request.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxStatus } from '../../src/protocol/sandbox.js';
import { shellWords } from '../../src/protocol/shell-words.js';
import { modelbench } from '../helpers/cli.js';
import { git, inRecipeRepo, RECIPE } from './ci-recipe-repo.js';

const sandbox = sandboxStatus().mode === 'bwrap' ? [] : ['--no-sandbox'];

/** The README's counted recipe: the `npx modelbench` commands of the shell block under "On counts", as words. */
function recipeCommands(): string[][] {
  const readme = fs.readFileSync(path.join(RECIPE, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## On counts'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('examples/ci-recipe/README.md has no shell block under "## On counts"');
  const lines = block.replace(/\\\n\s*/g, ' ').split('\n');
  return lines.filter((l) => l.startsWith('npx modelbench ')).map((l) => shellWords(l).slice(2));
}

/** The recipe in `repo` against the worktree at ../baseline: run (which must succeed), then the gate. */
function gate(repo: string) {
  fs.rmSync(path.join(repo, 'results'), { recursive: true, force: true });
  const [run, compare] = recipeCommands();
  expect(run[0]).toBe('run');
  expect(compare[0]).toBe('compare');
  const counted = modelbench([...run, ...sandbox], { cwd: repo, timeoutMs: 480_000 });
  expect(counted.code, counted.stderr + counted.stdout).toBe(0);
  const verdict = modelbench(compare, { cwd: repo });
  return {
    code: verdict.code,
    out: verdict.stdout + verdict.stderr,
    md: fs.readFileSync(path.join(repo, 'gate.md'), 'utf8'),
  };
}

/** The counted table's row for predict in the gate's Markdown: change, instructions, detectable, verdict. */
function countedRow(md: string) {
  // A Markdown table row: | row | baseline | candidate | change | instructions | detectable | verdict | note |
  const line = md.split('\n').find((l) => l.startsWith('| logreg/predict/') && /%/.test(l));
  expect(line, md).toBeDefined();
  const cells = line!.split('|').map((c) => c.trim());
  return { change: cells[4], instructions: cells[5], detectable: cells[6], verdict: cells[7] };
}

describe('the CI recipe on counts', () => {
  it('passes an identical pair and fails a commit whose predict does 2% more work', () => {
    inRecipeRepo(['logreg.mjs', 'ci-suite-counted.json'], (repo) => {
      // A commit that leaves the code as it was: the identical pair.
      fs.writeFileSync(path.join(repo, 'NOTES.md'), 'notes\n');
      git(['add', 'NOTES.md'], repo);
      git(['commit', '-qm', 'notes only'], repo);
      git(['worktree', 'add', '-q', '../baseline', 'HEAD~1'], repo);
      const same = gate(repo);
      expect(same.code, same.out).toBe(0);
      // The verdicts go to the test's output: what the gate saw, for whoever reads a CI log.
      console.log(`identical pair: exit ${same.code}, counted row ${JSON.stringify(countedRow(same.md))}`);
      expect(countedRow(same.md).verdict).toBe('no change');
      expect(same.md).toContain('PASS (counted rows)');

      // 2% more of predict's own work: 10.2 scorings of each row on average instead of 10.
      const source = fs.readFileSync(path.join(repo, 'logreg.mjs'), 'utf8');
      expect(source).toContain('const PASSES = 10;');
      fs.writeFileSync(path.join(repo, 'logreg.mjs'), source.replace('const PASSES = 10;', 'const PASSES = 10.2;'));
      git(['commit', '-qam', 'predict scores the first fifth of the rows once more'], repo);
      git(['worktree', 'remove', '../baseline'], repo);
      git(['worktree', 'add', '-q', '../baseline', 'HEAD~1'], repo);
      const more = gate(repo);
      expect(more.code, more.out).toBe(1);
      const row = countedRow(more.md);
      console.log(`2% more work in predict: exit ${more.code}, counted row ${JSON.stringify(row)}`);
      expect(row.verdict, more.md).toBe('regression');
      // The extra work is about 2% of predict's own, a little less of the request (its protocol work is the same).
      expect(parseFloat(row.change)).toBeGreaterThan(1.5);
      expect(parseFloat(row.change)).toBeLessThan(2.1);
      expect(row.detectable).toBe('0.50%');
      expect(more.md).toContain('FAIL: 1 counted row(s) regressed');
    });
  });
});
