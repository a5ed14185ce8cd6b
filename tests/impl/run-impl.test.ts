// `run --impl`: implementations under test timed through protocol 2 beside each other, judged by the
// float64 oracles. A good one gets ok rows; one that answers with wrong shapes, declares a model it
// does not answer, hangs, dies mid-run or speaks another protocol version gets errored rows that
// say why, and the run goes on with every finished row written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { modelbench } from '../helpers/cli.js';
import { sandboxStatus } from '../../src/protocol/sandbox.js';

const SANDBOX = sandboxStatus().mode === 'bwrap' ? [] : ['--no-sandbox'];
const HERE = 'tests/impl/misbehaving';

interface Row {
  implementation: string;
  model: string;
  workload: string;
  status: string;
  error?: string;
  protocolMs?: number;
  check?: string;
}

function suiteFile(dir: string): string {
  const file = path.join(dir, 'suite.json');
  const suite = {
    name: 'impl-test',
    description: 'small cells of every model for implementation tests',
    timing: { timeMs: 20, minIterations: 3, warmupIterations: 1, maxCellSeconds: 5 },
    cells: [
      { model: 'logreg', workload: 'fit-from-host', sizes: [{ rows: 200, cols: 5 }] },
      { model: 'logreg', workload: 'predict', sizes: [{ rows: 500, cols: 5 }] },
      { model: 'vae', workload: 'train-step', sizes: [{ batch: 16, hidden: 16, latent: 2 }] },
    ],
  };
  fs.writeFileSync(file, JSON.stringify(suite));
  return file;
}

function rowsOf(out: string): Row[] {
  const dirs = fs.readdirSync(out).map((d) => path.join(out, d));
  assert.equal(dirs.length, 1);
  return (JSON.parse(fs.readFileSync(path.join(dirs[0], 'results.json'), 'utf8')) as { rows: Row[] }).rows;
}

describe('run --impl', () => {
  it('times a good implementation beside broken ones: each broken one becomes errored rows with the reason, and the run goes on', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-impl-'));
    const out = path.join(dir, 'results');
    const impls = ['good=examples/ci-recipe/logreg.mjs', `shape=${HERE}/wrong-shape.mjs`, `vae=${HERE}/declares-vae.mjs`, `hangs=${HERE}/hangs.mjs`, `dies=${HERE}/dies.mjs`, `future=${HERE}/protocol-99.mjs`];
    const r = modelbench(['run', '--suite', suiteFile(dir), '--no-reference', '--impl-timeout', '5', ...impls.flatMap((i) => ['--impl', i]), '--out', out, ...SANDBOX]);
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /INVALID/);
    const rows = rowsOf(out);
    const of = (impl: string, workload: string) => rows.find((x) => x.implementation === impl && x.workload === workload);

    for (const w of ['fit-from-host', 'predict']) {
      const good = of('good', w)!;
      assert.equal(good.status, 'ok', good.error);
      assert.equal(good.check, 'pass');
      assert.ok(good.protocolMs! > 0 && good.protocolMs! < 50, `ping ${good.protocolMs} ms`);
    }
    assert.match(of('shape', 'fit-from-host')!.error!, /'weights' has 3 entries, expected 5/);
    assert.match(of('vae', 'train-step')!.error!, /exports no function 'init'/);
    assert.match(of('hangs', 'predict')!.error!, /no answer to 'predict_proba' within 5 s/);
    assert.match(of('dies', 'fit-from-host')!.error!, /exited with code 3/);
    for (const w of ['fit-from-host', 'predict']) assert.match(of('future', w)!.error!, /speaks protocol version 99; this modelbench speaks 1, 2 and 3/);
    // The ones that declared workloads get rows for those only.
    assert.equal(of('hangs', 'fit-from-host'), undefined);
    assert.equal(of('dies', 'predict'), undefined);
    for (const row of rows) assert.ok(row.status === 'ok' || row.status === 'errored', `${row.implementation} ${row.workload}: ${row.status} ${row.error}`);
  });

  it('a protocol-1 implementation: validate takes it, run refuses to time it with the fix', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-impl-'));
    const out = path.join(dir, 'results');
    const target = `old=/usr/bin/python3 ${HERE}/protocol-1.py`;
    const r = modelbench(['run', '--suite', suiteFile(dir), '--no-reference', '--models', 'logreg', '--impl', target, '--out', out, ...SANDBOX]);
    assert.equal(r.code, 1);
    for (const row of rowsOf(out)) assert.match(row.error!, /speaks protocol 1; timing needs protocol 2 .*implement load/);
    const v = modelbench(['validate', '--model', 'logreg', '--impl', `/usr/bin/python3 ${HERE}/protocol-1.py`, '--checks', 'logreg-deterministic', '--quiet', ...SANDBOX]);
    assert.match(v.stdout, /errored\s+'fit' answered error: not implemented/);
  });

  it('refuses bad --impl values with the fix', () => {
    for (const [args, message] of [
      [['--impl', 'nosuch'], /give NAME=TARGET .* or a bundled implementation: sklearn-logreg/],
      [['--impl', 'bad name=x.mjs'], /must be letters, digits/],
      [['--impl', 'modelbench=x.mjs'], /'modelbench' names our own rows/],
      [['--impl', 'a=examples/ci-recipe/logreg.mjs', '--impl', 'a=examples/ci-recipe/logreg.mjs'], /the name 'a' is given twice/],
      [['--no-reference', '--skip-peers'], /--no-reference leaves nothing to time/],
    ] as const) {
      const r = modelbench(['run', '--suite', 'smoke', ...args, ...SANDBOX]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
