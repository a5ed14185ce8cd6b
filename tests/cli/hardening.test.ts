// The silent successes and lost results of issue 14 (and of the audit of issues 33 and 36), each reproduced and now a clear error or the
// right verdict (docs/bad-inputs.md lists every bad input tried and what it gets).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { runWorker } from '../../src/timing/spawn-worker.js';
import { hardLimitMs } from '../../src/timing/run-suite.js';
import { ensureDir, writeFilesAtomic } from '../../src/results/atomic-write.js';
import { makeContext } from '../../src/results/context.js';
import { createExclusiveDir, RunWriter } from '../../src/results/run-writer.js';
import { silentProgress } from '../../src/timing/progress.js';
import { COMPARE_COMMAND, executeCompare } from '../../src/cli/compare.js';
import { parseCommand, parseMegabytes, parseSeconds, parseSeed } from '../../src/cli/options.js';
import { executeReport, REPORT_COMMAND } from '../../src/cli/report.js';
import { executeRun, RUN_COMMAND } from '../../src/cli/run.js';
import { executeValidate, VALIDATE_COMMAND } from '../../src/cli/validate.js';
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


describe('the audit of 2026-12-02 (issues 33 and 36): wrong successes, ignored settings and unreadable inputs', () => {
  const compareIn = (argv: string[]) => {
    const { values, positionals } = parseCommand(COMPARE_COMMAND, argv);
    return executeCompare(values, positionals);
  };
  const reportIn = async (run: string) => {
    const { values, positionals } = parseCommand(REPORT_COMMAND, [run, '--out', path.join(path.dirname(run), 'r.html')]);
    return executeReport(values, positionals);
  };
  const backends = ['wasm', 'cpu', 'webgpu', 'browser-wasm'];
  const twelve = () =>
    ['fit', 'predict', 'fit-from-host'].flatMap((w, i) => backends.map((b, j) => row({ workload: w, backend: b }, latencies(5, 30, 10 * i + j))));
  const edit = (run: string, change: (json: { context: Record<string, unknown>; rows: Record<string, unknown>[] }) => void) => {
    const file = path.join(run, 'results.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    change(json);
    fs.writeFileSync(file, JSON.stringify(json));
  };

  it('compare --config: its values hold unless the command line names the option; an unknown key is refused', () => {
    const dir = tmpDir();
    const run = writeRun(dir, [row({ workload: 'fit', backend: 'wasm' }, latencies(5, 30, 1))]);
    const config = path.join(dir, 'gate.json');
    fs.writeFileSync(config, JSON.stringify({ alpha: 0.2, minEffect: 0.9 }));
    assert.deepEqual(compareIn([run, run, '--config', config]).result?.options, { alpha: 0.2, minEffect: 0.9, overrides: [] });
    assert.deepEqual(compareIn([run, run, '--config', config, '--alpha', '0.05']).result?.options, { alpha: 0.05, minEffect: 0.9, overrides: [] });
    fs.writeFileSync(config, JSON.stringify({ alpha: 0.2, bogus: 1 }));
    const unknown = compareIn([run, run, '--config', config]);
    assert.deepEqual(unknown, { code: 2, text: `--config ${config}: unknown key 'bogus'; keys: alpha, minEffect, overrides` });
    assert.throws(() => compareIn([run, run, '--min-effect', '-0.1']), /^UsageError: --min-effect must be a number >= 0 \(0\.05 means 5%\), got '-0\.1'$/);
  });

  it('compare: a candidate missing baseline rows, or whose samples.csv is empty, is unusable unless --allow-missing names those rows', () => {
    const dir = tmpDir();
    const base = writeRun(dir, twelve());
    const cand = writeRun(dir, twelve().slice(0, 1));
    const missing = compareIn([base, cand]);
    assert.equal(missing.code, 2);
    assert.match(missing.text, /^CANDIDATE lacks 11 of the baseline's 12 rows \(.*\); run the whole suite again, or name the rows .* --allow-missing GLOB/);
    assert.equal(compareIn([base, cand, '--allow-missing', 'logreg/predict/*']).code, 2, 'rows of fit-from-host are still missing');
    assert.equal(compareIn([base, cand, '--allow-missing', 'logreg/*']).code, 0);
    const emptied = writeRun(dir, twelve());
    fs.writeFileSync(path.join(emptied, 'samples.csv'), '');
    const empty = compareIn([base, emptied]);
    assert.equal(empty.code, 2);
    assert.match(empty.text, /^CANDIDATE .*samples\.csv: no samples for 12 timed row\(s\) of results\.json/);
    fs.writeFileSync(path.join(emptied, 'samples.csv'), 'run_id,model,workload,size,backend,sample_index,ms\n');
    assert.equal(compareIn([base, emptied]).code, 2);
  });

  it('compare and report: a samples.csv with an unclosed quote, a context without its fields, a status that is a number, a row of keys only', async () => {
    const dir = tmpDir();
    const fresh = () => writeRun(dir, [row({ workload: 'fit', backend: 'wasm' }, latencies(5, 30, 1))]);
    const quote = fresh();
    fs.appendFileSync(path.join(quote, 'samples.csv'), 'x,"logreg,fit\n');
    assert.match(compareIn([quote, quote]).text, /samples\.csv: not readable CSV \(Quote Not Closed.*\); it is written by `modelbench run`/);
    const bare = fresh();
    edit(bare, (j) => {
      delete j.context.host;
      delete j.context.backends;
    });
    assert.match(compareIn([bare, bare]).text, /results\.json: context\.host is missing; it must be a string/);
    assert.match((await reportIn(bare)).error!, /results\.json: context\.host is missing/);
    const numbers = fresh();
    edit(numbers, (j) => Object.assign(j.rows[0], { status: 42, medianMs: 'fast' }));
    const statusRule = /rows\[0\] \(logreg\/fit\/rows=100;cols=3\/wasm\): "status" is 42; it must be one of ok, errored, unavailable, check-failed/;
    assert.match(compareIn([numbers, numbers]).text, statusRule);
    assert.equal((await reportIn(numbers)).code, 2);
    const keys = fresh();
    edit(keys, (j) => (j.rows = j.rows.map(({ model, workload, size, backend }) => ({ model, workload, size, backend }))));
    assert.match((await reportIn(keys)).error!, /"status" is missing/);
  });

  it('run: INVALID (exit 1) when no cell ran on any backend asked for', () => {
    const before = process.env.MODELBENCH_CHROMIUM;
    process.env.MODELBENCH_CHROMIUM = '/bin/false';
    try {
      const out = tmpDir();
      const r = modelbench(['run', '--suite', 'smoke', '--models', 'logreg', '--backends', 'browser-wasm', '--out', out]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /INVALID: no cell ran: every backend and implementation asked for is unavailable here/);
      const [dir] = fs.readdirSync(out);
      assert.match(fs.readFileSync(path.join(out, dir, 'summary.txt'), 'utf8'), /verdict: INVALID \(no cell ran/);
    } finally {
      if (before === undefined) delete process.env.MODELBENCH_CHROMIUM;
      else process.env.MODELBENCH_CHROMIUM = before;
    }
  });

  it('limits and seeds: one parser each, refusing non-finite, fractional, absurd and non-decimal values with the range', async () => {
    const seconds = /^UsageError: --timeout must be a number of seconds above 0 and at most 2147483 \(what Node's timers hold\)/;
    for (const bad of ['1e7', 'Infinity', '1e400', '0', '-5', '', 'abc', '2147484']) assert.throws(() => parseSeconds(bad, '--timeout'), seconds);
    assert.equal(parseSeconds('0.5', '--timeout'), 0.5);
    assert.equal(parseSeconds('2147483', '--timeout'), 2147483);
    const megabytes = /^UsageError: --memory must be a whole number of MB from 16 to 4096 \(this machine's memory\)/;
    for (const bad of ['256.3', 'Infinity', '1e400', '8', '0x100', '99999999']) assert.throws(() => parseMegabytes(bad, '--memory', 4096), megabytes);
    assert.equal(parseMegabytes('256', '--memory', 4096), 256);
    const seedRule = /^UsageError: --seed must be a whole number from 0 to 4294967295/;
    for (const bad of ['0x10', '', '-1', '1e3', '4294967296', '1.5']) assert.throws(() => parseSeed(bad, 1), seedRule);
    const validateIn = (...argv: string[]) => {
      const { values } = parseCommand(VALIDATE_COMMAND, ['--model', 'logreg', '--impl', 'never-started.mjs', '--no-sandbox', ...argv]);
      return executeValidate(values, { say: () => {}, log: () => {} });
    };
    await assert.rejects(validateIn('--seed', '-1'), /--seed must be a whole number from 0 to 4294967295, got '-1'/);
    await assert.rejects(validateIn('--seed', '0x10'), /got '0x10'/);
    await assert.rejects(validateIn('--timeout', '1e7'), /--timeout must be a number of seconds above 0 and at most 2147483/);
    await assert.rejects(validateIn('--memory', '256.3'), /--memory must be a whole number of MB/);
    const runIn = (...argv: string[]) => {
      const { values } = parseCommand(RUN_COMMAND, ['--suite', 'smoke', '--out', tmpDir(), '--impl', 'x=never-started.mjs', ...argv]);
      return executeRun(values, { say: () => {}, log: () => {}, progress: silentProgress });
    };
    await assert.rejects(runIn('--impl-timeout', 'Infinity'), /--impl-timeout must be a number of seconds above 0 and at most 2147483/);
    await assert.rejects(runIn('--impl-memory', '100.7'), /--impl-memory must be a whole number of MB/);
    const dashed = /--output is followed by '-x', which reads as an option: give --output a value, or write --output=-x/;
    assert.throws(() => parseCommand(COMPARE_COMMAND, ['a', 'b', '--output', '-x']), dashed);
  });

  it('names are never paths: the run id is a slug of the suite name, and a run folder outside --out is refused', () => {
    const ctx = makeContext('x/../../../escaped\u001b[31m', 1, seedsFrom(1), {}, new Date(Date.UTC(2026, 0, 3)));
    assert.match(ctx.runId, /^2026-01-03T00-00-00-000Z-x----------escaped--31m-[A-Za-z0-9_-]+$/);
    const out = tmpDir();
    const w = new RunWriter(out, ctx);
    assert.equal(path.dirname(w.files.dir), out);
    assert.throws(() => createExclusiveDir(out, '../escaped'), /run id '\.\.\/escaped' is not a plain folder name inside/);
    assert.throws(() => createExclusiveDir(out, '..'), /is not a plain folder name/);
    assert.deepEqual(fs.readdirSync(path.dirname(out)).filter((f) => f === 'escaped'), []);
  });
});
