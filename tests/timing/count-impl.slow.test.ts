// An implementation under test counted: its own process under valgrind inside the sandbox, three
// processes over a fixed span, the row judged by the oracle and carrying its counts per request.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'vitest';
import { modelbench } from '../helpers/cli.js';

it('counts a JavaScript implementation per request, with the note of what valgrind follows', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'count-impl-'));
  const suite = path.join(dir, 'suite.json');
  const cells = [{ model: 'logreg', workload: 'predict', sizes: [{ rows: 300, cols: 4 }] }];
  fs.writeFileSync(
    suite,
    JSON.stringify({ name: 'ci', timing: { timeMs: 20, minIterations: 3, warmupIterations: 1 }, cells }),
  );
  const out = path.join(dir, 'runs');
  const args = [
    'run',
    '--suite',
    suite,
    '--no-reference',
    '--impl',
    'ml-logistic-regression',
    '--measure',
    'instructions',
  ];
  const r = modelbench([...args, '--count-span', '4', '--out', out], { timeoutMs: 900_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [run] = fs.readdirSync(out);
  const { rows } = JSON.parse(fs.readFileSync(path.join(out, run, 'results.json'), 'utf8'));
  const row = rows.find((x: { implementation?: string }) => x.implementation === 'ml-logistic-regression');
  assert.equal(row.status, 'ok', row.error);
  assert.equal(row.check, 'pass');
  assert.equal(row.countedCalls, 4);
  assert.equal(row.countedProcesses, 3);
  assert.ok(row.instructionsPerCall > 1000, `instructions per call ${row.instructionsPerCall}`);
  assert.match(row.countNote, /under valgrind .*child processes it starts are not/);
});
