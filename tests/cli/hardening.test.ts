// The silent successes and lost results of issue 14, each reproduced and now a clear error or the
// right verdict (docs/bad-inputs.md lists every bad input tried and what it gets).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { runWorker } from '../../src/bench/spawn-worker.js';
import { hardLimitMs } from '../../src/bench/run-suite.js';
import { ensureDir, writeFilesAtomic } from '../../src/report/atomic-write.js';
import { makeContext } from '../../src/report/context.js';
import { RunWriter } from '../../src/report/run-writer.js';
import { seedsFrom } from '../../src/seeds.js';
import { modelbench } from '../helpers/cli.js';
import { latencies, row, tmpDir, writeRun } from '../helpers/runs.js';

const leftovers = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));

describe('no silent success', () => {
  it('run: a suite with no cell for the chosen models is an error, not VALID', () => {
    const r = modelbench(['run', '--suite', 'smoke', '--models', 'gan,vae', '--out', tmpDir()]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'modelbench run: suite smoke has no cells for gan, vae (its models: logreg, svm): choose --models from those, or another --suite\n');
  });

  it('compare: two runs with no row in common exit 2 and say what did not match', () => {
    const dir = tmpDir();
    const a = writeRun(dir, [row({ workload: 'fit', backend: 'wasm' }, latencies(5, 30, 1))]);
    const b = writeRun(dir, [row({ workload: 'predict', backend: 'cpu' }, latencies(5, 30, 2))]);
    const r = modelbench(['compare', a, b]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /no row is in both runs: baseline has logreg\/fit\/rows=100;cols=3\/wasm; candidate has logreg\/predict\/rows=100;cols=3\/cpu/);
  });

  it('compare: a row without a model is refused, naming the file and the row', () => {
    const dir = tmpDir();
    const a = writeRun(dir, [row({ workload: 'fit', backend: 'wasm' }, latencies(5, 30, 1))]);
    const file = path.join(a, 'results.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete json.rows[0].model;
    fs.writeFileSync(file, JSON.stringify(json));
    const r = modelbench(['compare', a, a]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /results\.json: rows\[0\] has no model; every row needs model, workload, size and backend/);
  });

  it('compare: a side that mixes machines is not pooled as repeats', () => {
    const side = tmpDir();
    writeRun(side, [row({ workload: 'fit', backend: 'wasm' }, latencies(5, 30, 1))]);
    writeRun(side, [row({ workload: 'fit', backend: 'wasm' }, latencies(5, 30, 2))], { host: 'another-machine' });
    const r = modelbench(['compare', side, side]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /its runs come from different machines .*another-machine.*so they are not repeats of one build/);
  });

  it('an incomplete run says so in its summary and results.json, is refused by compare and marked by report', () => {
    const dir = tmpDir();
    const run = writeRun(dir, [row({ workload: 'fit', backend: 'wasm' }, latencies(5, 30, 1))], {}, true);
    assert.match(fs.readFileSync(path.join(run, 'summary.txt'), 'utf8'), /verdict: INCOMPLETE \(the run stopped, or is still running, after 1 row\(s\)/);
    assert.equal(JSON.parse(fs.readFileSync(path.join(run, 'results.json'), 'utf8')).context.complete, false);
    const c = modelbench(['compare', run, run]);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /is incomplete \(it stopped, or is still running, after 1 row\(s\)\); compare finished runs only/);
    const html = path.join(dir, 'r.html');
    assert.equal(modelbench(['report', run, '--out', html]).code, 0);
    assert.match(fs.readFileSync(html, 'utf8'), /\(incomplete: stopped before its end\)/);
  });
});

describe('no lost or half-written results', () => {
  it('two runs with the same id into the same folder get two folders', () => {
    const dir = tmpDir();
    const ctx = makeContext('quick', 1, seedsFrom(1), {}, new Date(Date.UTC(2026, 0, 1)));
    const a = new RunWriter(dir, ctx);
    const b = new RunWriter(dir, ctx);
    assert.notEqual(a.files.dir, b.files.dir);
    assert.equal(b.context.runId, `${ctx.runId}-2`);
    assert.equal(fs.readdirSync(dir).length, 2);
  });

  it('a set of files is written all or not at all, and leaves no temporary file', () => {
    const dir = tmpDir();
    const first = path.join(dir, 'first.txt');
    fs.writeFileSync(first, 'old');
    const blocked = path.join(dir, 'a-folder');
    fs.mkdirSync(blocked);
    assert.throws(() => writeFilesAtomic([{ file: first, content: 'new' }, { file: blocked, content: 'x' }]), /cannot write .*a-folder \(EISDIR\): it is a folder: give a file name/);
    assert.equal(fs.readFileSync(first, 'utf8'), 'old');
    assert.deepEqual(leftovers(dir), []);
  });

  it('a disk that fills up mid-run: one clear error, no temporary file, and the files on disk agree', (ctx) => {
    const dir = tmpDir();
    // A 256 KiB tmpfs stands in for a full disk (root can mount one; elsewhere this says why it cannot run).
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { encoding: 'utf8' });
    if (mount.status !== 0) ctx.skip(`cannot mount a small tmpfs here (${(mount.stderr || String(mount.error)).trim()}): run the tests as root to include this one`);
    try {
      const writer = new RunWriter(dir, makeContext('quick', 1, seedsFrom(1), {}, new Date(Date.UTC(2026, 0, 2))));
      let failure: unknown;
      for (let i = 0; i < 200 && failure === undefined; i++) {
        try {
          writer.add(row({ workload: `w${i}`, backend: 'wasm' }, latencies(5, 500, i)));
        } catch (e) {
          failure = e;
        }
      }
      assert.match(String(failure), /cannot write .* \(ENOSPC\): the disk is full: free space or choose another disk \(nothing was half-written\)/);
      assert.deepEqual(leftovers(dir), []);
      const json = JSON.parse(fs.readFileSync(writer.files.json, 'utf8')) as { rows: unknown[] };
      const csvRows = fs.readFileSync(writer.files.csv, 'utf8').trim().split('\n').length - 1;
      assert.equal(csvRows, json.rows.length, 'results.csv and results.json disagree');
      assert.ok(json.rows.length > 0);
    } finally {
      spawnSync('umount', [dir]);
    }
  });

  it('unwritable output paths are one line naming the path, exit 2, and never spin', () => {
    const dir = tmpDir();
    const run = writeRun(dir, [row({ workload: 'fit', backend: 'wasm' }, latencies(5, 30, 1))]);
    const noDir = modelbench(['report', run, '--out', path.join(dir, 'nodir', 'r.html')]);
    assert.equal(noDir.code, 2);
    assert.match(noDir.stderr, /^modelbench report: cannot write .*nodir\/r\.html \(ENOENT\): a folder above it does not exist/);
    const intoDir = modelbench(['compare', run, run, '--output', dir]);
    assert.equal(intoDir.code, 2);
    assert.match(intoDir.stderr, /cannot write .* \(EISDIR\): it is a folder: give a file name/);
    assert.throws(() => ensureDir('/proc/modelbench-test'), /cannot write \/proc\/modelbench-test \(ENOENT\)/);
    const proc = modelbench(['run', '--suite', 'smoke', '--models', 'logreg', '--backends', 'cpu', '--out', '/proc/foo']);
    assert.equal(proc.code, 2);
    assert.match(proc.stderr, /^modelbench run: cannot write \/proc\/foo/);
    assert.deepEqual(leftovers(dir), []);
  });

  it('a cell past its hard limit is killed and says so', async () => {
    assert.equal(hardLimitMs({ timeMs: 1, minIterations: 1, warmupIterations: 0, maxCellSeconds: 60 }), 240_000);
    assert.equal(hardLimitMs({ timeMs: 1, minIterations: 1, warmupIterations: 0 }), Number.POSITIVE_INFINITY);
    const exit = await runWorker({ kind: 'probe', backend: 'cpu' }, () => {}, {}, 1);
    assert.equal(exit.timedOut, true);
    assert.equal(exit.signal, 'SIGKILL');
  });
});

describe('bad input gets a clear error or the right verdict', () => {
  const csv = (text: string) => {
    const file = path.join(tmpDir(), 'data.csv');
    fs.writeFileSync(file, text);
    return file;
  };

  it('fit --max-iter bounds the whole fit, polish included', () => {
    const r = modelbench(['fit', '--model', 'logreg', '--data', 'fixtures/breast-cancer/breast-cancer-zscored.csv', '--max-iter', '1', '--json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.iterations, 1);
    assert.equal(report.converged, false);
    assert.match(report.message, /iteration limit \(1\)/);
  });

  it('values beyond what float32 can carry are refused with the column, the row and the fix', () => {
    const r = modelbench(['fit', '--model', 'logreg', '--data', csv('a,b,y\n1,2,0\n3,1e39,1\n2,1,1\n')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /column 'b', data row 2 holds 1e\+39, beyond float32's range .* the backends compute in float32: scale the column/);
    const squares = modelbench(['fit', '--model', 'logreg', '--data', csv('a,y\n1e30,0\n-1e30,1\n2,1\n')]);
    assert.equal(squares.code, 2);
    assert.match(squares.stderr, /holds 1e\+30, so large that its square overflows float32/);
  });

  it('svm --kernel rbf --C inf: distinct rows are separable in the RBF space; identical rows with two labels are not', () => {
    const cancer = modelbench(['fit', '--model', 'svm', '--data', 'fixtures/breast-cancer/breast-cancer-zscored.csv', '--kernel', 'rbf', '--C', 'inf', '--json']);
    assert.doesNotMatch(cancer.stdout + cancer.stderr, /not separable/);
    const clash = modelbench(['fit', '--model', 'svm', '--data', csv('a,b,y\n0,0,0\n1,1,1\n0,0,1\n2,0,0\n'), '--kernel', 'rbf', '--C', 'inf']);
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /not separable in any feature space: rows 1 and 3 are identical with different labels/);
  });

  it('sizes that cannot fit in memory are refused before any work, naming the size', () => {
    const gan = modelbench(['fit', '--model', 'gan', '--data', 'ring8', '--batch', '100000000']);
    assert.equal(gan.code, 2);
    assert.match(gan.stderr, /a training step at batch 100000000 .* needs \d+\.\d+ GiB, over the .* lower --batch/);
    const matmul = modelbench(['matmul', '--sizes', '100000']);
    assert.equal(matmul.code, 2);
    assert.match(matmul.stderr, /a 100000 x 100000 product .* needs 186\.26 GiB, .* choose smaller --sizes/);
  });

  it('a kernel SVM fit shows its progress while it runs', () => {
    const r = modelbench(['fit', '--model', 'svm', '--data', 'breast-cancer', '--kernel', 'rbf']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /solver steps at most/);
    assert.match(r.stderr, /outer step \d+: violating-pair gap \d/);
  });

  it('fit knows the same dataset names as validate', () => {
    const r = modelbench(['fit', '--model', 'logreg', '--data', 'breast-cancer', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Math.abs(JSON.parse(r.stdout).objective - 37.758945961876) < 1e-6);
    assert.match(modelbench(['fit', '--help']).stdout, /--data breast-cancer-raw/);
  });
});

describe('report tells runs apart', () => {
  it('keeps two commits on one machine as two series, shows every run and commit in the checks, whole notes, and why a cell is empty', () => {
    const dir = tmpDir();
    const longNote = `${'a long note '.repeat(20)}end-of-note`;
    const a = writeRun(dir, [row({ workload: 'fit', backend: 'wasm' }, latencies(5, 30, 1)), row({ workload: 'fit', backend: 'cpu', status: 'errored', error: longNote }, [])], { gitSha: 'aaaaaaa1111111' });
    const b = writeRun(dir, [row({ workload: 'fit', backend: 'wasm' }, latencies(4, 30, 2))], { gitSha: 'bbbbbbb2222222' });
    const html = path.join(dir, 'r.html');
    const r = modelbench(['report', a, b, '--out', html]);
    assert.equal(r.code, 0, r.stderr);
    const text = fs.readFileSync(html, 'utf8');
    assert.match(text, / @ aaaaaaa/);
    assert.match(text, / @ bbbbbbb/);
    assert.match(text, /run \(commit\)/);
    assert.ok(text.includes('end-of-note'), 'the note was cut');
    assert.match(text, /— \((no timing samples: errored|not run on this machine)\)/);
  });
});

