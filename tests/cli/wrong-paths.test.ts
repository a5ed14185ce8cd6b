// Every command that takes a path, given a path of the wrong kind (a file where a folder is expected,
// a folder where a file is expected, an empty folder, a folder of unrelated files) or an output that is
// not a regular file (/dev/null, /dev/full, a FIFO, a device node, a link to one): one line on stderr
// naming the path, no stack frame, exit 2, and the special file left as it was (issues 33 and 36).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { modelbenchAsync } from '../helpers/cli.js';
import { latencies, row, tmpDir, writeRun } from '../helpers/runs.js';

interface Outcome {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function spawnOne(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = modelbenchAsync(args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ args, code, stdout, stderr }));
  });
}

/** The commands a few at a time: each is a process start (a second or so), and the machine may have two cores. */
async function runAll(cases: readonly string[][], parallel = 4): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (let i = 0; i < cases.length; i += parallel) out.push(...(await Promise.all(cases.slice(i, i + parallel).map(spawnOne))));
  return out;
}

/** One line on stderr that names `mention`, no stack frame, exit 2. */
function assertOneLine(o: Outcome, mention: string): void {
  const what = `modelbench ${o.args.join(' ')}:\n${o.stderr}`;
  assert.equal(o.code, 2, what);
  assert.doesNotMatch(o.stderr, /^\s+at /m, what);
  assert.equal(o.stderr.trimEnd().split('\n').length, 1, what);
  assert.ok(o.stderr.includes(mention), `${what}\n(does not name ${mention})`);
}

function fixtures() {
  const dir = tmpDir();
  const run = writeRun(dir, [row({ workload: 'fit', backend: 'wasm' }, latencies(5, 30, 1))]);
  const file = path.join(run, 'results.csv');
  const empty = path.join(dir, 'empty');
  fs.mkdirSync(empty);
  const unrelated = path.join(dir, 'unrelated');
  fs.mkdirSync(path.join(unrelated, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(unrelated, 'notes.txt'), 'hello\n');
  fs.writeFileSync(path.join(unrelated, 'table.csv'), 'a,b\n1,2\n');
  fs.writeFileSync(path.join(unrelated, 'sub', 'data.json'), '{"x": 1}\n');
  const folderJson = path.join(dir, 'folder.json');
  fs.mkdirSync(folderJson);
  return { dir, run, file, empty, unrelated, folderJson };
}

describe('a path of the wrong kind, for every command that takes one', () => {
  it('is one line naming the path, without a stack trace, exit 2', async () => {
    const { dir, run, file, empty, unrelated, folderJson } = fixtures();
    const html = path.join(dir, 'r.html');
    const cases: [string[], string][] = [];
    // Run folders (compare, report, scorecard): a file, an empty folder, a folder of unrelated files.
    for (const side of [file, empty, unrelated]) {
      cases.push([['compare', side, side], side], [['report', side, '--out', html], side], [['scorecard', side], side]);
    }
    // Files where a folder stands, folders where a file stands.
    cases.push(
      [['report', run, '--out', empty], empty],
      [['compare', run, run, '--output', empty], empty],
      [['scorecard', run, '--output', empty], empty],
      [['compare', run, run, '--config', empty], empty],
      [['compare', run, run, '--config', file], file],
      [['run', '--suite', 'smoke', '--out', file], file],
      [['run', '--suite', folderJson], folderJson],
      [['run', '--suite', 'smoke', '--interleave', file, '--out', dir], file],
      [['run', '--suite', 'smoke', '--interleave', empty, '--out', dir], empty],
      [['run', '--suite', 'smoke', '--interleave', unrelated, '--out', dir], unrelated],
      [['fit', '--model', 'logreg', '--data', empty], empty],
      [['fit', '--model', 'logreg', '--data', path.join(unrelated, 'notes.txt')], 'notes.txt'],
      [['validate', '--model', 'logreg', '--impl', 'never-started.mjs', '--no-sandbox', '--report', file], file],
      [['validate', '--model', 'logreg', '--impl', 'never-started.mjs', '--no-sandbox', '--data', empty], empty],
      [['matmul', '--sizes', '8', '--out', file], file],
    );
    const outcomes = await runAll(cases.map(([args]) => args));
    outcomes.forEach((o, i) => assertOneLine(o, cases[i][1]));
    // A refused --interleave leaves no run folder behind (audit R14).
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('interleaved')), []);
  });

  it('an output that is not a regular file is refused and left as it was; - is standard output', async (ctx) => {
    const { dir, run } = fixtures();
    const fifo = path.join(dir, 'fifo');
    const made = spawnSync('mkfifo', [fifo]);
    if (made.status !== 0) ctx.skip('mkfifo is not available here');
    const device = path.join(dir, 'null-device');
    // As root, a device node of its own shows the harm without touching /dev (mknod c 1 3 is /dev/null's).
    const hasNode = spawnSync('mknod', [device, 'c', '1', '3']).status === 0;
    const link = path.join(dir, 'stdout-link');
    fs.symlinkSync('/dev/stdout', link);
    const reportDir = path.join(dir, 'validate-report');
    fs.mkdirSync(reportDir);
    spawnSync('mkfifo', [path.join(reportDir, 'validate-logreg.json')]);
    const everyCommand = (t: string) => [['report', run, '--out', t], ['compare', run, run, '--output', t], ['scorecard', run, '--output', t]];
    const cases = [
      ...everyCommand('/dev/null'),
      ...everyCommand(fifo),
      ['report', run, '--out', '/dev/full'],
      ['compare', run, run, '--output', link],
      ...(hasNode ? [['scorecard', run, '--output', device]] : []),
      ['validate', '--model', 'logreg', '--impl', 'never-started.mjs', '--no-sandbox', '--report', reportDir],
    ];
    const outcomes = await runAll(cases);
    for (const o of outcomes) {
      assertOneLine(o, o.args.at(-1)!);
      assert.match(o.stderr, /not a regular file/);
    }
    for (const t of ['/dev/null', '/dev/full', ...(hasNode ? [device] : [])]) assert.ok(fs.statSync(t).isCharacterDevice(), `${t} is no longer a device`);
    assert.ok(fs.statSync(fifo).isFIFO());
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    const [report, compare] = await runAll([['report', run, '--out', '-'], ['compare', run, run, '--output', '-']]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /^<!doctype html>/);
    assert.equal(compare.code, 0, compare.stderr);
    assert.match(compare.stdout, /PASS/);
    assert.ok(!fs.existsSync(path.join(process.cwd(), '-')), 'a file named - was written');
  });
});
