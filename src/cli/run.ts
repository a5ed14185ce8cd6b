// `modelbench run`: expand the suite, run it backend by backend, write results/<run-id>/.
import { parseArgs } from 'node:util';
import { BACKENDS } from '../backends/registry.js';
import { makeProgress } from '../bench/progress.js';
import { INJECT_ENV } from '../bench/inject-slowdown.js';
import { runPlan } from '../bench/run-suite.js';
import { listSuites, loadSuite } from '../bench/suite.js';
import { MODELS } from '../models/registry.js';
import { makeContext } from '../report/context.js';
import { peerComparison, summaryTable } from '../report/summary.js';
import { DEFAULT_BASE_SEED, seedsFrom } from '../seeds.js';
import { parseNameList, UsageError } from './usage.js';

export const DEFAULT_SUITE = 'quick';
export const DEFAULT_OUT_DIR = 'results';

export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      suite: { type: 'string', default: DEFAULT_SUITE },
      models: { type: 'string' },
      backends: { type: 'string' },
      out: { type: 'string', default: DEFAULT_OUT_DIR },
      seed: { type: 'string' },
      'skip-peers': { type: 'boolean', default: false },
    },
  });
  if (!listSuites().includes(values.suite!)) throw new UsageError(`unknown suite '${values.suite}'; valid suites: ${listSuites().join(', ')}`);
  const suite = loadSuite(values.suite!);
  const models = parseNameList(values.models, MODELS.map((m) => m.name), 'model');
  const backends = parseNameList(values.backends, BACKENDS.map((b) => b.name), 'backend');
  const baseSeed = values.seed === undefined ? DEFAULT_BASE_SEED : Number(values.seed);
  if (!Number.isInteger(baseSeed) || baseSeed < 0 || baseSeed > 0xffffffff) {
    throw new UsageError(`--seed must be an integer in [0, 4294967295], got '${values.seed}'`);
  }
  const seeds = seedsFrom(baseSeed);
  const cells = suite.cells.filter((c) => models.includes(c.model));
  const peers = values['skip-peers'] ? [] : suite.peers.filter((c) => models.includes(c.model));
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
