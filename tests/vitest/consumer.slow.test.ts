// modelbench/vitest as a user meets it: the package is packed (npm pack), installed into a copy of
// examples/vitest-consumer in a temporary folder, and that project's own vitest runs the conformance
// checks on ml-logistic-regression and libsvm-js. The verdicts must be validate's (third-party.slow.test.ts),
// and a deliberately broken adapter dropped into the project must fail there too.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { REPO } from '../helpers/data.js';

interface JsonReport {
  testResults: { name: string; assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

const EXAMPLE = path.join(REPO, 'examples/vitest-consumer');
const LOGREG_FAILS = ['logreg-optimum-breast-cancer', 'logreg-optimum-raw-breast-cancer', 'logreg-optimum-generated', 'logreg-no-penalty', 'logreg-intercept-unpenalised'];
const LOGREG_PASSES = ['logreg-proba-consistent', 'logreg-extreme-inputs', 'logreg-deterministic', 'logreg-label-flip', 'logreg-row-permutation'];
const SVM_PASSES = ['svm-optimum-linear', 'svm-optimum-rbf', 'svm-decision-consistent', 'svm-kkt', 'svm-hard-margin', 'svm-rbf-gamma'];

/** The penalised-intercept twin of the float64 reference (tests/validate/broken): caught by logreg-intercept-unpenalised. */
const BROKEN_TEST = `import { describeConformance } from 'modelbench/vitest';

await describeConformance({ model: 'logreg', impl: new URL('../adapters/logreg-penalised-intercept.mjs', import.meta.url) });
`;

/**
 * A user's TypeScript against the installed package's types (tsc's declarations of src/api/api.ts and
 * src/vitest/conformance.ts, built by prepack): each name resolves, and the outcomes are what the sources return.
 */
const TYPES_CHECK = `import { run, validate, compare, report, UsageError } from 'modelbench';
import type { RunOptions, RunOutcome, ValidateOutcome, ReportOutcome, CompareOutcome } from 'modelbench';
import type { ConformanceRecord, CheckOutcome, ResultRow, ScorecardLine } from 'modelbench';
import { describeConformance, DEFAULT_TIMEOUT_SECONDS, type ConformanceOptions } from 'modelbench/vitest';
import { expectTypeOf } from 'vitest';

expectTypeOf(run).parameter(0).toEqualTypeOf<RunOptions | undefined>();
expectTypeOf<Awaited<ReturnType<typeof run>>>().toEqualTypeOf<RunOutcome>();
expectTypeOf<Awaited<ReturnType<typeof validate>>>().toEqualTypeOf<ValidateOutcome>();
expectTypeOf<Awaited<ReturnType<typeof report>>>().toEqualTypeOf<ReportOutcome>();
expectTypeOf<Awaited<ReturnType<typeof compare>>>().toEqualTypeOf<CompareOutcome>();
expectTypeOf<RunOutcome['code']>().toEqualTypeOf<number>();
expectTypeOf<RunOutcome['rows'][number]>().toEqualTypeOf<ResultRow>();
expectTypeOf<NonNullable<RunOutcome['conformance']>[number]>().toEqualTypeOf<ConformanceRecord>();
expectTypeOf<NonNullable<RunOutcome['scorecard']>[number]>().toEqualTypeOf<ScorecardLine>();
expectTypeOf<ValidateOutcome['outcomes'][number]>().toEqualTypeOf<CheckOutcome>();
expectTypeOf<ValidateOutcome['code']>().toEqualTypeOf<number>();
expectTypeOf(describeConformance).parameter(0).toEqualTypeOf<ConformanceOptions>();
expectTypeOf(DEFAULT_TIMEOUT_SECONDS).toBeNumber();
expectTypeOf(new UsageError('x')).toMatchTypeOf<Error>();
const options: RunOptions = { suite: 'smoke', backends: ['cpu'], noSandbox: true };
const conformance: ConformanceOptions = { model: 'logreg', impl: new URL('file:///impl.mjs'), sandbox: 'none' };
// @ts-expect-error: a misspelt option is refused
const misspelt: RunOptions = { suit: 'smoke' };
export { options, conformance, misspelt };
`;

function results(report: JsonReport, file: string): Record<string, { status: string; message: string }> {
  const entry = report.testResults.find((r) => path.basename(r.name) === file);
  assert.ok(entry, `no results for ${file} in ${report.testResults.map((r) => r.name).join(', ')}`);
  return Object.fromEntries(entry.assertionResults.map((a) => [a.title.replace(/ \[expected failure: .*\]$/, ''), { status: a.status, message: a.failureMessages.join('\n') }]));
}

describe('modelbench/vitest in a project of its own (examples/vitest-consumer)', () => {
  let report: JsonReport;
  let exitCode: number | null;
  let output: string;
  let project: string;

  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-consumer-'));
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO, encoding: 'utf8' })) as { filename: string }[];
    const tarball = path.join(dir, packed[0].filename);
    project = path.join(dir, 'project');
    fs.cpSync(EXAMPLE, project, { recursive: true, filter: (src) => !src.includes('node_modules') });
    fs.mkdirSync(path.join(project, 'adapters'), { recursive: true });
    for (const f of ['float64-logreg.mjs', 'logreg-penalised-intercept.mjs']) fs.copyFileSync(path.join(REPO, 'tests/validate/broken', f), path.join(project, 'adapters', f));
    fs.writeFileSync(path.join(project, 'tests/broken.test.ts'), BROKEN_TEST);
    // --prefer-offline: the packages are in npm's cache from this checkout's own install.
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-save', tarball], { cwd: project, stdio: 'pipe' });
    const json = path.join(dir, 'report.json');
    const run = spawnSync('npx', ['vitest', 'run', '--reporter=json', `--outputFile=${json}`], { cwd: project, encoding: 'utf8', env: { ...process.env, ML_LOGREG_STEPS: '5000', CI: '1' } });
    exitCode = run.status;
    output = `${run.stdout}\n${run.stderr}`;
    assert.ok(fs.existsSync(json), `vitest wrote no report: ${output.slice(-2000)}`);
    report = JSON.parse(fs.readFileSync(json, 'utf8')) as JsonReport;
  });

  it('libsvm-js passes every SVM check but the unscaled optimum (declared an expected failure), one test per check, as under validate', () => {
    const r = results(report, 'libsvm-js.test.ts');
    for (const check of [...SVM_PASSES, 'svm-optimum-raw-breast-cancer']) assert.equal(r[check]?.status, 'passed', `${check}: ${r[check]?.message}`);
    const titles = report.testResults.flatMap((t) => t.assertionResults.map((a) => a.title));
    assert.ok(titles.some((t) => t.startsWith('svm-optimum-raw-breast-cancer [expected failure: ')));
  });

  it('ml-logistic-regression fails the five checks it fails under validate (declared expected failures) and passes the rest', () => {
    const r = results(report, 'ml-logistic-regression.test.ts');
    // A declared failure passes when the check fails as declared; had it passed or errored, the test would fail.
    for (const check of [...LOGREG_FAILS, ...LOGREG_PASSES]) assert.equal(r[check]?.status, 'passed', `${check}: ${r[check]?.message}`);
    const titles = report.testResults.flatMap((t) => t.assertionResults.map((a) => a.title));
    for (const check of LOGREG_FAILS) assert.ok(titles.some((t) => t.startsWith(`${check} [expected failure: `)), `${check} is not shown as an expected failure`);
  });

  it('a broken adapter (penalised intercept) fails the check that catches it, and the run fails', () => {
    const r = results(report, 'broken.test.ts');
    assert.equal(r['logreg-intercept-unpenalised']?.status, 'failed');
    assert.match(r['logreg-intercept-unpenalised'].message, /logreg-intercept-unpenalised failed/);
    assert.equal(r['logreg-proba-consistent']?.status, 'passed');
    assert.equal(exitCode, 1, output.slice(-2000));
  });

  it("a user's TypeScript compiles against the installed package's types, generated from the sources", () => {
    const installed = path.join(project, 'node_modules/modelbench');
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as { exports: Record<string, { types?: string }> };
    for (const [entry, { types }] of Object.entries(pkg.exports)) {
      if (types) assert.ok(fs.existsSync(path.join(installed, types)), `exports["${entry}"].types ${types} is not in the package`);
    }
    fs.writeFileSync(path.join(project, 'types-check.ts'), TYPES_CHECK);
    // The checkout's @types/node: a project that uses modelbench in Node has its own.
    const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], typeRoots: [path.join(REPO, 'node_modules/@types')] };
    fs.writeFileSync(path.join(project, 'tsconfig.types.json'), JSON.stringify({ compilerOptions, files: ['types-check.ts'] }));
    const tsc = spawnSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.types.json'], { cwd: project, encoding: 'utf8' });
    // Every declaration file is checked (no skipLibCheck), ours included; tfjs 4.22's own declarations
    // fail under that (this checkout's tsconfig skips them too), so only errors elsewhere count.
    const errors = tsc.stdout.split('\n').filter((l) => / error TS\d+/.test(l));
    const ours = errors.filter((l) => !l.startsWith('node_modules/@tensorflow/'));
    assert.deepEqual(ours, [], tsc.stdout + tsc.stderr);
    assert.ok(tsc.status === 0 || errors.length > 0, tsc.stdout + tsc.stderr);
  });

  it('the installed package runs `npx modelbench validate` on a bundled implementation', () => {
    const adapter = path.join(project, 'node_modules/modelbench/implementations/libsvm-js.mjs');
    const r = spawnSync('npx', ['modelbench', 'validate', '--model', 'svm', '--impl', adapter, '--checks', 'svm-decision-consistent,svm-optimum-linear', '--quiet'], { cwd: project, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /CONFORMS/);
  });

  it("the installed package's library API (import { validate, run } from 'modelbench') returns what the commands print", () => {
    const script = `import { validate, run, UsageError } from 'modelbench';
const v = await validate({ model: 'logreg', impl: 'node_modules/modelbench/implementations/ml-logistic-regression.mjs', checks: ['logreg-proba-consistent', 'logreg-intercept-unpenalised'], env: ['ML_LOGREG_STEPS=500'] });
const r = await run({ suite: 'smoke', models: ['logreg'], backends: ['cpu'], out: 'results' });
let usage = '';
try { await run({ suite: 'no-such-suite' }); } catch (e) { usage = e instanceof UsageError ? e.message : 'not a UsageError: ' + e; }
console.log(JSON.stringify({ v: { code: v.code, statuses: v.outcomes.map((o) => [o.check, o.status]) }, r: { code: r.code, verdict: r.verdict, rows: r.rows.length, csv: r.files.csv }, usage }));
`;
    fs.writeFileSync(path.join(project, 'api.mjs'), script);
    const out = spawnSync(process.execPath, ['api.mjs'], { cwd: project, encoding: 'utf8', env: { ...process.env, CI: '1' } });
    assert.equal(out.status, 0, out.stderr);
    const got = JSON.parse(out.stdout.trim().split('\n').pop()!) as { v: { code: number; statuses: [string, string][] }; r: { code: number; verdict: string; rows: number; csv: string }; usage: string };
    assert.deepEqual(got.v, { code: 1, statuses: [['logreg-proba-consistent', 'passed'], ['logreg-intercept-unpenalised', 'failed']] });
    assert.equal(got.r.code, 0);
    assert.equal(got.r.verdict, 'VALID');
    assert.ok(got.r.rows >= 3 && fs.existsSync(path.resolve(project, got.r.csv)), JSON.stringify(got.r));
    assert.match(got.usage, /unknown suite 'no-such-suite'/);
  });
});
