// The browser backends end to end: every model's cells in fresh headless Chromium pages, with the
// same oracle checks and tensor-leak check as a Node worker; a page that crashes mid-cell becomes an
// errored row and the run goes on (a slow-tier file; no Chromium as an `unavailable` row: browser-missing.test.ts).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, it } from 'vitest';
import { findChromium } from '../../src/browser/chromium.js';
import type { Row } from '../../src/types.js';
import { modelbench, modelbenchAsync } from '../helpers/cli.js';
import { tmpDir } from '../helpers/runs.js';

const chromium = findChromium();
// CI installs chromium (.ci/run); elsewhere these need `apt-get install chromium`.
const skipReason = !('path' in chromium) && !process.env.CI ? 'chromium is not installed (apt-get install chromium); CI installs it' : undefined;

/** One small cell per workload kind of every model: seconds each, even on SwiftShader. */
const EVERY_MODEL = {
  name: 'browser-test',
  description: 'one small cell of every model',
  timing: { timeMs: 0, minIterations: 3, warmupIterations: 1 },
  cells: [
    { model: 'logreg', workload: 'fit', sizes: [{ rows: 200, cols: 5 }] },
    { model: 'svm', workload: 'fit-rbf', sizes: [{ rows: 200, cols: 5 }] },
    { model: 'vae', workload: 'train-step', sizes: [{ batch: 32 }] },
    { model: 'gan', workload: 'train-step', sizes: [{ batch: 64 }] },
  ],
};

interface RunJson {
  context: { backends: { name: string; available: boolean; runtime?: { details: Record<string, string> } }[] };
  rows: Row[];
}

function writeSuite(dir: string, suite: object): string {
  const file = path.join(dir, 'suite.json');
  fs.writeFileSync(file, JSON.stringify(suite));
  return file;
}

function results(out: string): RunJson {
  const [run] = fs.readdirSync(out);
  return JSON.parse(fs.readFileSync(path.join(out, run, 'results.json'), 'utf8')) as RunJson;
}

describe('browser backends', () => {
  beforeEach((ctx) => {
    if (skipReason) ctx.skip(skipReason);
  });

  it('run every model on browser-wasm and browser-webgl: rows ok, checks passed, no tensor leaked, threads recorded', () => {
    const dir = tmpDir();
    const out = path.join(dir, 'out');
    const r = modelbench(['run', '--suite', writeSuite(dir, EVERY_MODEL), '--backends', 'browser-wasm,browser-webgl', '--skip-peers', '--out', out]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const { context, rows } = results(out);
    assert.equal(rows.length, 8);
    for (const row of rows) {
      assert.equal(row.status, 'ok', `${row.backend} ${row.model}/${row.workload}: ${row.error}`);
      assert.equal(row.check, 'pass');
      assert.equal(row.tensorsLeaked, 0);
      assert.match(row.backendVersion, /Chromium \d+/);
    }
    const wasm = context.backends.find((b) => b.name === 'browser-wasm')!.runtime!.details;
    assert.equal(wasm.crossOriginIsolated, 'true', 'the page is cross-origin isolated (COOP/COEP)');
    assert.equal(wasm.threads, wasm.logicalCores, 'one wasm thread per logical core');
    assert.ok(Number(wasm.pageStartupMs) > 0, 'the page start-up time is kept apart');
    const webgl = context.backends.find((b) => b.name === 'browser-webgl')!.runtime!.details;
    assert.ok(webgl.renderer, 'the WebGL renderer string is recorded');
  });

  it('a page that crashes mid-run is an errored row, and the next cell still runs', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'out');
    // The first cell times for 15 s, long enough to be caught in the act; the second runs in a fresh browser.
    const suite = {
      ...EVERY_MODEL,
      timing: { timeMs: 15_000, minIterations: 3, warmupIterations: 1 },
      cells: [
        { model: 'vae', workload: 'train-step', sizes: [{ batch: 128 }] },
        { model: 'logreg', workload: 'fit', sizes: [{ rows: 200, cols: 5 }] },
      ],
    };
    const child = modelbenchAsync(['run', '--suite', writeSuite(dir, suite), '--backends', 'browser-wasm', '--skip-peers', '--out', out]);
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Once the page has had time to load and start timing (a few seconds here), kill its renderer.
    const deadline = Date.now() + 120_000;
    let seenAt: number | undefined;
    let killed = false;
    while (!killed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      const renderers = descendants(child.pid!).filter((p) => p.args.includes('--type=renderer'));
      if (renderers.length === 0) continue;
      seenAt ??= Date.now();
      if (Date.now() - seenAt < 7_000) continue;
      for (const p of renderers) process.kill(p.pid, 'SIGKILL');
      killed = true;
    }
    assert.ok(killed, 'found the page renderer to kill');
    assert.equal(await exited, 1);
    const { rows } = results(out);
    const crashed = rows.find((r) => r.model === 'vae')!;
    assert.equal(crashed.status, 'errored');
    assert.match(crashed.error!, /during this cell: .*page crashed/);
    assert.equal(rows.find((r) => r.model === 'logreg')!.status, 'ok', 'the run went on, in a fresh browser');
  });
});

/** The processes below `root` (this run's hosts and browsers only, not another test's), from /proc. */
function descendants(root: number): { pid: number; args: string }[] {
  const table = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        // The command name in stat may hold spaces and parentheses: the fields after its last ')' are fixed.
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return [{ pid: Number(d), ppid, args: fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ') }];
      } catch {
        return []; // gone since the listing
      }
    });
  const found = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of table) if (found.has(p.ppid) && !found.has(p.pid)) found.add(p.pid), (grew = true);
  }
  return table.filter((p) => p.pid !== root && found.has(p.pid));
}
