// Testbeds on the command line (issue 34): compare refuses a speed verdict across testbeds unless asked
// and says what differs; report's overview files; every mistake one line naming the path or option, exit 2.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { thisTestbed } from '../../src/results/testbed.js';
import { modelbench } from '../helpers/cli.js';
import { latencies, row, tmpDir } from '../helpers/runs.js';
import { AVX512, BASE_FLAGS, testbed, writeFastRun } from '../report/synthetic-testbeds.js';

function oneLine(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
  assert.match(r.stderr, pattern);
}

function twoMachines() {
  const dir = tmpDir();
  const rows = (seed: number) => [
    row({ workload: 'predict', backend: 'wasm' }, latencies(1, 200, seed)),
    row({ workload: 'fit', backend: 'cpu' }, latencies(50, 30, seed + 1)),
  ];
  const plain = writeFastRun(dir, rows(1), { testbed: testbed(), host: 'vm' });
  const again = writeFastRun(dir, rows(3), { testbed: testbed(), host: 'vm' });
  const wide = writeFastRun(dir, rows(5), { testbed: testbed({ flags: [...BASE_FLAGS, ...AVX512] }), host: 'vm' });
  return { dir, plain, again, wide };
}

describe('compare across testbeds', () => {
  it('two runs of one testbed are compared; of two testbeds, refused in one line that says what differs, unless --across-testbeds', () => {
    const { plain, again, wide } = twoMachines();
    assert.equal(modelbench(['compare', plain, again]).code, 0);
    const refused = modelbench(['compare', plain, wide]);
    oneLine(refused, /BASELINE ran on testbed tb-\w+ and CANDIDATE on testbed tb-\w+ \(they differ in: instruction sets \(only CANDIDATE has avx512_vnni /);
    assert.match(refused.stderr, /or pass --across-testbeds to judge anyway/);
    const judged = modelbench(['compare', plain, wide, '--across-testbeds']);
    assert.equal(judged.code, 0, judged.stderr);
    assert.match(judged.stdout, /Environment differs/);
    assert.match(judged.stdout, /instruction sets\s+avx avx2 f16c fma sse4_1 sse4_2\s+avx avx2 avx512_vnni/);
  });

  it('a folder of repeats from two testbeds of one host name is not pooled', () => {
    const { dir, plain, wide } = twoMachines();
    const side = path.join(dir, 'side');
    fs.mkdirSync(side);
    for (const run of [plain, wide]) fs.renameSync(run, path.join(side, path.basename(run)));
    const repeats = modelbench(['compare', side, side]);
    oneLine(repeats, /its runs come from different testbeds \(tb-\w+; tb-\w+\), so they are not repeats of one build; give one folder per testbed/);
  });
});

describe('run --testbed', () => {
  it('names the testbed in results.json and results.csv, keeping the hardware hash', () => {
    const dir = tmpDir();
    const r = modelbench(['run', '--suite', 'smoke', '--models', 'logreg', '--backends', 'cpu', '--testbed', 'ci-epyc', '--out', dir]);
    assert.equal(r.code, 0, r.stderr);
    const [run] = fs.readdirSync(dir);
    const context = JSON.parse(fs.readFileSync(path.join(dir, run, 'results.json'), 'utf8')).context;
    assert.deepEqual([context.testbed.id, context.testbed.named, context.testbed.hash], ['ci-epyc', true, thisTestbed().hash], 'this machine, named');
    const [header, first] = fs.readFileSync(path.join(dir, run, 'results.csv'), 'utf8').split('\n');
    assert.deepEqual(header.split(',').slice(-2), ['testbed', 'testbed_hash']);
    assert.ok(first.endsWith(`,ci-epyc,${context.testbed.hash}`), first);
  });
});

describe('report: overview files and mistakes', () => {
  it('writes the overview as CSV to stdout beside the HTML', () => {
    const { dir } = twoMachines();
    const html = path.join(dir, '..', `${path.basename(dir)}.html`);
    const r = modelbench(['report', dir, '--out', html, '--overview-csv', '-']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^model,workload,size,series,testbed,backend,baseline,state,check_failed,throughput/);
    assert.match(fs.readFileSync(html, 'utf8'), /id="overview"/);
  });

  it('a path that is a file, an empty folder, a folder with no runs; an output that is a folder or named twice; a bad baseline or testbed name', () => {
    const { dir, plain } = twoMachines();
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const html = path.join(dir, 'r.html');
    const csv = path.join(plain, 'results.csv');
    const file = new RegExp(`${csv.replace(/[.]/g, '\\.')}: a file, not a run folder; give the run folder that holds it`);
    oneLine(modelbench(['report', csv, '--out', html]), file);
    oneLine(modelbench(['report', empty, '--out', html]), new RegExp(`${empty}: holds no results.json, directly or in a subfolder`));
    oneLine(modelbench(['report', plain, '--out', html, '--overview-json', empty]), new RegExp(`cannot write ${empty} \\(EISDIR\\): it is a folder`));
    oneLine(modelbench(['report', plain, '--out', html, '--overview-csv', html]), /--overview-csv .*r\.html: --out writes there too/);
    const report = (...more: string[]) => modelbench(['report', plain, '--out', html, ...more]);
    oneLine(report('--baseline-machine', 'nowhere'), /--baseline-machine 'nowhere' is not among the machines \(testbeds\): tb-/);
    oneLine(report('--baseline-backend', 'webgl'), /--baseline-backend 'webgl' has no column on tb-\w+; its backends: cpu, wasm/);
    const run = modelbench(['run', '--suite', 'smoke', '--testbed', 'my machine', '--out', dir]);
    oneLine(run, /--testbed 'my machine': a testbed name is 1-64 letters, digits/);
  });
});
