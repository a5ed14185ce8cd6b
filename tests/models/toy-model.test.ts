// Adding a model is one folder and one registration: a toy mean estimator defined in tests/toy-model/
// (no file in src/ names it) runs through `run`, through `validate` against its own reference handler
// (and a broken implementation of it fails its check), and through modelbench/vitest
// (toy-model-vitest.test.ts). It is registered as a user's package would be: MODELBENCH_MODELS.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { REPO } from '../helpers/data.js';

const TOY = path.join(REPO, 'tests/toy-model/index.ts');

/** The tsx launcher: the toy model is TypeScript, which a prebuilt CLI cannot import. */
function modelbench(args: string[]) {
  const env = { ...process.env, CI: '1', MODELBENCH_MODELS: TOY };
  return spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', timeout: 300_000, env });
}

describe('a model registered from outside src/', () => {
  it('runs through run on cpu, its row checked by its own oracle', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'toy-run-'));
    const r = modelbench(['run', '--suite', 'tests/toy-model/suite.json', '--backends', 'cpu', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /VALID: every check passed/);
    const [run] = fs.readdirSync(out);
    const csv = fs.readFileSync(path.join(out, run, 'results.csv'), 'utf8');
    assert.match(csv, /toy-mean,mean,batch=1000,cpu/);
  });

  it('validates against its reference handler, and a broken implementation fails its check', () => {
    const good = modelbench(['validate', '--impl', 'src/validate/reference-impl.ts', '--model', 'toy-mean', '--env', `MODELBENCH_MODELS=${TOY}`]);
    assert.equal(good.status, 0, good.stderr);
    assert.match(good.stdout, /toy-mean-exact\s+passed/);
    assert.match(good.stdout, /CONFORMS/);
    const broken = modelbench(['validate', '--impl', 'tests/toy-model/broken.mjs', '--model', 'toy-mean']);
    assert.equal(broken.status, 1, broken.stderr);
    assert.match(broken.stdout, /toy-mean-exact\s+failed/);
    assert.match(broken.stdout, /DOES NOT CONFORM/);
  });

  it('is refused with the reason when its module cannot be loaded', () => {
    const env = { ...process.env, CI: '1', MODELBENCH_MODELS: '/nonexistent/model.mjs' };
    const r = spawnSync(process.execPath, [BIN, 'run', '--suite', 'smoke', '--backends', 'cpu'], { cwd: REPO, encoding: 'utf8', env });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /MODELBENCH_MODELS: cannot load \/nonexistent\/model\.mjs: .*give the path of a module whose default export is a ModelSpec/);
  });
});
