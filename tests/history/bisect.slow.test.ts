// `modelbench bisect` end to end on a small git history of the example implementation under test
// (impl-repo.ts): 7 commits after GOOD, predict 2.5x slower from the fifth, the sixth does not load.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { modelbench } from '../helpers/cli.js';
import { tmpDir } from '../helpers/runs.js';
import { implRepo } from './impl-repo.js';

const dir = tmpDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('modelbench bisect', () => {
  it('names the commit that made predict slower, in at most ceil(log2 7) + 1 builds plus the skipped one, and says the skip', () => {
    const repo = implRepo(path.join(dir, 'repo'));
    const args = ['bisect', repo.commits[0], repo.commits.at(-1)!, '--repo', repo.dir, '--impl', 'mine=logreg.mjs'];
    const r = modelbench([...args, '--row', 'logreg/predict/rows=2000;cols=10', '--time-ms', '300', '--min-effect', '0.2', '--no-sandbox']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const slower = repo.commits[repo.slowerAt].slice(0, 7);
    assert.match(r.stdout, new RegExp(`^first slower commit: ${slower} "predict scores the rows 25 times": \\+\\d+\\.\\d% against [0-9a-f]{7} .*; gate: ` +
      `regression`, 'm'));
    const builds = Number(/^(\d+) build\(s\), (\d+) skipped/m.exec(r.stdout)?.[1]);
    const skipped = Number(/^(\d+) build\(s\), (\d+) skipped/m.exec(r.stdout)?.[2]);
    assert.ok(builds - skipped <= Math.ceil(Math.log2(7)) + 1, r.stdout);
    if (skipped > 0) assert.match(r.stdout, new RegExp(`${repo.commits[repo.brokenAt].slice(0, 7)} "a typo that does not load": skipped: does not run`));
    const cell = ['--impl', 'mine=logreg.mjs', '--row', 'logreg/predict/rows=2000;cols=10'];
    const bad = modelbench(['bisect', repo.commits[3], repo.commits[0], '--repo', repo.dir, ...cell]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^modelbench bisect: GOOD \S+ is not an ancestor of BAD/);
  });
});
