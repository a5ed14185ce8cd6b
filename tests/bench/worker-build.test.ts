import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { ROOT } from '../../src/layout.js';
import { sourceKey } from '../../src/source-key.js';
import { processEntry } from '../../src/timing/worker-build.js';

describe('the cell processes of a checkout', () => {
  it('start from a prebuilt worker with plain Node, keyed by the sources, which finds the checkout and the packages', async () => {
    const entry = await processEntry('worker');
    assert.deepEqual(entry.execArgv, []);
    assert.equal(path.basename(path.dirname(entry.file)).split('-')[0], sourceKey(ROOT));
    assert.equal(path.dirname(path.dirname(entry.file)), path.join(ROOT, 'node_modules/.cache/modelbench-worker'));
    assert.ok(fs.existsSync(entry.file));
    assert.ok(fs.existsSync(path.join(path.dirname(entry.file), 'browser-host.mjs')));
    // Each bundled source keeps its own import.meta.url: layout.ts must still find the checkout.
    const text = fs.readFileSync(entry.file, 'utf8');
    assert.ok(text.includes(JSON.stringify(new URL('../../src/layout.ts', import.meta.url).href)), 'layout.ts keeps its own URL');
    assert.ok(!/from "\.\.?\//.test(text), 'no relative import left: our sources are inside');
  });

  it('a changed source gives a new key (an edit rebuilds the worker)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-key-'));
    fs.mkdirSync(path.join(root, 'src/a'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/a/x.ts'), 'export const x = 1;\n');
    const before = sourceKey(root);
    assert.equal(sourceKey(root), before);
    fs.writeFileSync(path.join(root, 'src/a/x.ts'), 'export const x = 2;\n');
    assert.notEqual(sourceKey(root), before);
  });

  it('MODELBENCH_WORKER_TSX=1 runs the sources through tsx instead', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/timing/worker-build.ts').then(async (m) => console.log(JSON.stringify(await m.processEntry('worker'))))"], {
      cwd: ROOT,
      env: { ...process.env, MODELBENCH_WORKER_TSX: '1' },
      encoding: 'utf8',
    });
    const entry = JSON.parse(out) as { file: string; execArgv: string[] };
    assert.equal(entry.file, path.join(ROOT, 'src/timing/worker.ts'));
    assert.equal(entry.execArgv[0], '--import');
  });
});
