// The documented CI recipe for third parties (examples/ci-recipe/README.md), step by step, on two
// commits of an example implementation timed side by side in one run: the second, 30% slower in
// predict, fails the gate (exit 1); an identical pair passes (exit 0).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxStatus } from '../../src/protocol/sandbox.js';
import { git, inRecipeRepo } from './ci-recipe-repo.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'bin/modelbench.mjs');
const sandbox = sandboxStatus().mode === 'bwrap' ? [] : ['--no-sandbox'];

function modelbench(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the CI recipe for a third-party implementation', () => {
  it('fails the gate on a commit that makes predict 30% slower, and passes an identical pair', () => {
    inRecipeRepo(['logreg.mjs', 'ci-suite.json'], (repo) => {
      const source = fs.readFileSync(path.join(repo, 'logreg.mjs'), 'utf8');
      expect(source).toContain('const PASSES = 10;');
      fs.writeFileSync(path.join(repo, 'logreg.mjs'), source.replace('const PASSES = 10;', 'const PASSES = 13;'));
      git(['commit', '-qam', 'slower predict'], repo);
      git(['worktree', 'add', '-q', '../baseline', 'HEAD~1'], repo);

      const gate = (baseline: string, out: string) => {
        const r = modelbench(
          [
            'run',
            '--suite',
            'ci-suite.json',
            '--no-reference',
            '--impl',
            `baseline=${baseline}/logreg.mjs`,
            '--impl',
            'candidate=./logreg.mjs',
            '--out',
            out,
            ...sandbox,
          ],
          repo,
        );
        expect(r.code, r.err + r.out).toBe(0);
        // As examples/ci-recipe/README.md gates: at a 10% minimum effect (identical code in two processes differs by a few %).
        return modelbench(
          [
            'compare',
            out,
            out,
            '--baseline-impl',
            'baseline',
            '--candidate-impl',
            'candidate',
            '--min-effect',
            '0.1',
            '--format',
            'json',
          ],
          repo,
        );
      };

      // The slower commit: predict flagged, the unchanged fit not (rerun once, as the recipe does, when the
      // fit is flagged: see the identical pair below).
      const verdictsOf = (r: { out: string }) =>
        (JSON.parse(r.out) as { speed: { key: string; verdict: string }[] }).speed;
      const fitFlagged = (r: { out: string }) =>
        verdictsOf(r).find((s) => s.key.includes('fit-from-host'))?.verdict === 'regression';
      let slow = gate('../baseline', 'results/slow');
      if (slow.code === 1 && fitFlagged(slow)) slow = gate('../baseline', 'results/slow-again');
      expect(slow.code, slow.out + slow.err).toBe(1);
      const verdicts = verdictsOf(slow);
      expect(verdicts.find((s) => s.key.includes('predict'))?.verdict).toBe('regression');
      expect(verdicts.find((s) => s.key.includes('fit-from-host'))?.verdict).not.toBe('regression');

      // An identical pair: this commit against itself. One implementation process in several lands in a
      // slower state for its whole life (measured: identical code 8 to 41% slower in about 1 run in 8,
      // examples/ci-recipe/README.md): the recipe reruns a failed gate once, and so does this test.
      let same = gate('.', 'results/same');
      if (same.code === 1) same = gate('.', 'results/same-again');
      expect(same.code, same.out + same.err).toBe(0);
    });
  });
});
