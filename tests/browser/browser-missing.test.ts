// Without Chromium, a browser backend's every row is `unavailable`, with the reason and the fix, and the
// rest of the run goes on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import type { Row } from '../../src/types.js';
import { modelbench } from '../helpers/cli.js';
import { tmpDir } from '../helpers/runs.js';

const SUITE = {
  name: 'browser-missing',
  description: 'one cell',
  timing: { timeMs: 0, minIterations: 3, warmupIterations: 1 },
  cells: [{ model: 'logreg', workload: 'fit', sizes: [{ rows: 200, cols: 5 }] }],
};

describe('browser backends without Chromium', () => {
  it('without Chromium every browser row is unavailable, with the reason and the fix', () => {
    const dir = tmpDir();
    const out = path.join(dir, 'out');
    const suite = path.join(dir, 'suite.json');
    fs.writeFileSync(suite, JSON.stringify(SUITE));
    const r = spawnWithout(['run', '--suite', suite, '--backends', 'browser-wasm,cpu', '--skip-peers', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const [run] = fs.readdirSync(out);
    const { rows } = JSON.parse(fs.readFileSync(path.join(out, run, 'results.json'), 'utf8')) as { rows: Row[] };
    const row = rows.find((x) => x.backend === 'browser-wasm')!;
    assert.equal(row.status, 'unavailable');
    assert.match(row.error!, /MODELBENCH_CHROMIUM=\/nonexistent\/chromium does not exist; fix: apt-get install chromium/);
    assert.equal(rows.find((x) => x.backend === 'cpu')!.status, 'ok', 'the rest of the run goes on');
  });
});

function spawnWithout(args: string[]) {
  const before = process.env.MODELBENCH_CHROMIUM;
  process.env.MODELBENCH_CHROMIUM = '/nonexistent/chromium';
  try {
    return modelbench(args);
  } finally {
    if (before === undefined) delete process.env.MODELBENCH_CHROMIUM;
    else process.env.MODELBENCH_CHROMIUM = before;
  }
}
