// `run --interleave` end to end (a slow-tier test: it runs the smoke suite's logreg cells four times).
// 50 s on an idle 2-core machine; a CI machine running other slow files beside it once took over 300 s
// for the whole smoke suite, hence one model and a limit of ten minutes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { loadSuite } from '../../src/timing/suite.js';
import { modelbench } from '../helpers/cli.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-test-'));
const only = (dir: string) => path.join(dir, fs.readdirSync(dir)[0]);

const smokeLogreg = loadSuite('smoke').cells.filter((c) => c.model === 'logreg').length;

describe('modelbench run --interleave', () => {
  it('run --interleave alternates a baseline checkout and this one into two comparable sides', () => {
    const out = tmp();
    const r = modelbench(['run', '--suite', 'smoke', '--models', 'logreg', '--backends', 'cpu', '--interleave', '.', '--repeat', '2', '--out', out], { timeoutMs: 600_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const dir = only(out);
    for (const side of ['baseline', 'candidate']) {
      const runs = fs.readdirSync(path.join(dir, side));
      assert.equal(runs.length, 2, `${side}: one run folder per round`);
      const json = JSON.parse(fs.readFileSync(path.join(dir, side, runs[0], 'results.json'), 'utf8'));
      assert.equal(json.context.options.role, side);
      assert.equal(json.rows.length, smokeLogreg);
      // Paired timing: the round is named alike on both sides, and every row has its bursts.
      assert.match(json.context.options.pairedRound, / round 1$/);
      for (const row of json.rows) assert.ok(row.burstMedians.length >= 12, `${row.workload}: ${row.burstMedians?.length} bursts`);
    }
    const c = modelbench(['compare', path.join(dir, 'baseline'), path.join(dir, 'candidate'), '--format', 'json']);
    assert.notEqual(c.code, 2, c.stderr);
    const speed = JSON.parse(c.stdout).speed as { paired?: { rounds: number } }[];
    assert.equal(speed.length, smokeLogreg);
    for (const s of speed) assert.equal(s.paired?.rounds, 2);
  });
});
