// `modelbench run`: expand the suite, run it backend by backend, write results/<run-id>/.
import fs from 'node:fs';
import path from 'node:path';
import { BACKENDS } from '../backends/registry.js';
import { makeProgress } from '../bench/progress.js';
import { INJECT_ENV } from '../bench/inject-slowdown.js';
import { runInterleaved, runPlan, type Build, type SuitePlan } from '../bench/run-suite.js';
import { listSuites, loadSuite } from '../bench/suite.js';
import { MODELS } from '../models/registry.js';
import { makeContext, runStamp } from '../report/context.js';
import { createExclusiveDir } from '../report/run-writer.js';
import { peerComparison, summaryTable } from '../report/summary.js';
import { DEFAULT_BASE_SEED, seedsFrom, type Seeds } from '../seeds.js';
import { defineCommand, parseCommand, parseSeed } from './options.js';
import { parseNameList, UsageError } from './usage.js';

export const DEFAULT_SUITE = 'quick';
export const DEFAULT_OUT_DIR = 'results';
export const DEFAULT_INTERLEAVE_REPEAT = 3;

interface InterleavedOptions {
  suite: string;
  baseSeed: number;
  seeds: Seeds;
  models: string[];
  backends: string[];
  out: string;
  repeat: number;
  baselineRoot?: string;
  plan: SuitePlan;
}

function checkBaselineRoot(root: string): string {
  const abs = path.resolve(root);
  if (!fs.existsSync(path.join(abs, 'src/bench/worker.ts'))) {
    throw new UsageError(`--interleave ${root}: no src/bench/worker.ts there; give a modelbench checkout of the baseline (e.g. git worktree add ../baseline main && (cd ../baseline && npm ci))`);
  }
  if (!fs.existsSync(path.join(abs, 'node_modules/@tensorflow/tfjs'))) {
    throw new UsageError(`--interleave ${root}: its dependencies are not installed; run npm ci in it first`);
  }
  return abs;
}

/** Rounds of (baseline, this build) alternating cell by cell, or of this build alone. */
async function interleavedCommand(o: InterleavedOptions): Promise<number> {
  // Its own folder, made exclusively: two sessions started together must not pool into one side.
  const dir = path.join(o.out, createExclusiveDir(o.out, `${runStamp(new Date())}-${o.suite}-${o.baselineRoot ? 'interleaved' : 'repeat'}`));
  const injection = process.env[INJECT_ENV];
  const withoutInjection = { ...process.env };
  delete withoutInjection[INJECT_ENV];
  const builds: Build[] = o.baselineRoot
    ? [{ name: 'baseline', root: checkBaselineRoot(o.baselineRoot), env: withoutInjection }, { name: 'candidate' }]
    : [{ name: 'candidate' }];
  const contextFor = (build: Build, round: number) => {
    const ctx = makeContext(o.suite, o.baseSeed, o.seeds, { suite: o.suite, models: o.models, backends: o.backends, role: build.name, round, repeat: o.repeat, timing: o.plan.timing, injectSlowdown: build.env ? undefined : injection }, new Date(), build.root);
    return { ...ctx, runId: `${ctx.runId}-${build.name}-r${round}` };
  };
  const writers = await runInterleaved(o.plan, builds, o.repeat, dir, contextFor, makeProgress());
  const rows = [...writers.values()].flat().flatMap((w) => [...w.all()]);
  for (const [name, ws] of writers) process.stdout.write(`${name}: ${ws.length} run(s) in ${path.join(dir, name)}\n`);
  if (o.baselineRoot) process.stdout.write(`compare with: modelbench compare ${path.join(dir, 'baseline')} ${path.join(dir, 'candidate')}\n`);
  const bad = rows.filter((r) => r.status === 'errored' || r.status === 'check-failed');
  process.stdout.write(bad.length > 0 ? `INVALID: ${bad.length} row(s) errored or failed their check\n` : 'VALID: every check passed\n');
  return bad.length > 0 ? 1 : 0;
}

export const RUN_COMMAND = defineCommand({
  name: 'run',
  summary: 'Runs a suite: one fresh child process per backend and cell; writes results/<run-id>/{results.csv,results.json,samples.csv,summary.txt}.',
  options: {
    suite: { type: 'string', value: listSuites().join('|'), default: DEFAULT_SUITE, help: 'the suite (suites/NAME.json)' },
    models: { type: 'string', value: 'a,b', help: `only these models (${MODELS.map((m) => m.name).join(', ')})` },
    backends: { type: 'string', value: 'a,b', help: `only these backends (${BACKENDS.map((b) => b.name).join(', ')})` },
    out: { type: 'string', value: 'DIR', default: DEFAULT_OUT_DIR, help: 'where run folders are written' },
    seed: { type: 'string', value: 'N', default: String(DEFAULT_BASE_SEED), help: 'base seed of the data, init and sampling seeds' },
    'skip-peers': { type: 'boolean', default: false, help: 'do not time the peer implementations' },
    repeat: { type: 'string', value: 'N', help: `rounds of this build (with --interleave: per side, default ${DEFAULT_INTERLEAVE_REPEAT})` },
    interleave: { type: 'string', value: 'BASELINE_CHECKOUT', help: 'alternate cell by cell with another checkout, for the CI gate' },
  },
});

export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(RUN_COMMAND, argv);
  if (!listSuites().includes(values.suite!)) throw new UsageError(`unknown suite '${values.suite}'; valid suites: ${listSuites().join(', ')}`);
  const suite = loadSuite(values.suite!);
  const models = parseNameList(values.models, MODELS.map((m) => m.name), 'model');
  const backends = parseNameList(values.backends, BACKENDS.map((b) => b.name), 'backend');
  const baseSeed = parseSeed(values.seed, DEFAULT_BASE_SEED);
  const seeds = seedsFrom(baseSeed);
  const cells = suite.cells.filter((c) => models.includes(c.model));
  const peers = values['skip-peers'] ? [] : suite.peers.filter((c) => models.includes(c.model));
  if (cells.length === 0 && peers.length === 0) {
    // A run that measures nothing must not say VALID.
    const has = [...new Set(suite.cells.map((c) => c.model))];
    throw new UsageError(`suite ${suite.name} has no cells for ${models.join(', ')} (its models: ${has.join(', ') || 'none'}): choose --models from those, or another --suite`);
  }
  const repeat = values.repeat === undefined ? (values.interleave ? DEFAULT_INTERLEAVE_REPEAT : 1) : Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError(`--repeat must be a positive integer, got '${values.repeat}'`);
  if (values.interleave !== undefined || repeat > 1) {
    return interleavedCommand({ suite: suite.name, baseSeed, seeds, models, backends, out: values.out!, repeat, baselineRoot: values.interleave, plan: { cells, peers: [], backends, timing: suite.timing, seeds } });
  }
  const context = makeContext(suite.name, baseSeed, seeds, { suite: suite.name, models, backends, out: values.out, skipPeers: values['skip-peers'], timing: suite.timing, injectSlowdown: process.env[INJECT_ENV] });
  const progress = makeProgress();
  const writer = await runPlan({ cells, peers, backends, timing: suite.timing, seeds }, values.out!, context, progress);
  const rows = writer.all();
  process.stdout.write(summaryTable(rows) + '\n\n');
  const versus = peerComparison(rows);
  if (versus) process.stdout.write(`against the peers (time ratio < 1: ours is faster):\n${versus}\n\n`);
  for (const b of context.backends.filter((x) => !x.available)) process.stdout.write(`${b.name}: unavailable (${b.reason})\n`);
  process.stdout.write(`results: ${writer.files.csv}\n          ${writer.files.json}\n          ${writer.files.samples}\n          ${writer.files.summary}\n`);
  const bad = rows.filter((r) => r.status === 'errored' || r.status === 'check-failed');
  if (bad.length > 0) {
    process.stdout.write(`INVALID: ${bad.length} row(s) errored or failed their check\n`);
    return 1;
  }
  process.stdout.write('VALID: every check passed\n');
  return 0;
}
