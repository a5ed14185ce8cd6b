// Measures the compare gate's false-alarm and detection rates on this machine.
// Each of PAIRS rounds interleaves three builds of this same checkout, cell by cell: a baseline, an
// A/A twin, and a twin whose cells matching INJECT are slowed (MODELBENCH_INJECT_SLOWDOWN). The gate
// then judges baseline vs twin (any regression is a false alarm) and baseline vs slowed twin (the
// injected row must be a regression).
//   usage: npx tsx scripts/calibrate-gate.ts [--pairs 20] [--repeat 2] [--suite quick] [--backends wasm]
//          [--inject 'logreg/predict/*/wasm=0.15'] [--out results/calibration-<stamp>]
//          npx tsx scripts/calibrate-gate.ts --judge DIR   (judge saved pairs again, e.g. after a gate change)
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { INJECT_ENV } from '../src/bench/inject-slowdown.js';
import { silentProgress } from '../src/bench/progress.js';
import { runInterleaved, type Build } from '../src/bench/run-suite.js';
import { loadSuite } from '../src/bench/suite.js';
import { compare, GATE_DEFAULTS } from '../src/compare/gate.js';
import { loadSide } from '../src/compare/load-runs.js';
import { pool } from '../src/compare/pool.js';
import { globToRegExp } from '../src/glob.js';
import { makeContext, REPO_ROOT } from '../src/report/context.js';
import { DEFAULT_BASE_SEED, seedsFrom } from '../src/seeds.js';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '20' },
    repeat: { type: 'string', default: '2' },
    judge: { type: 'string' },
    suite: { type: 'string', default: 'quick' },
    backends: { type: 'string', default: 'wasm' },
    inject: { type: 'string', default: 'logreg/predict/*/wasm=0.15' },
    out: { type: 'string', default: `results/calibration-${new Date().toISOString().replace(/[:.]/g, '-')}` },
  },
});
const pairs = Number(values.pairs);
const repeat = Number(values.repeat);
const suite = loadSuite(values.suite!);
const backends = values.backends!.split(',');
const target = globToRegExp(values.inject!.slice(0, values.inject!.lastIndexOf('=')));
const seeds = seedsFrom(DEFAULT_BASE_SEED);
const clean = { ...process.env };
delete clean[INJECT_ENV];
const builds: Build[] = [
  { name: 'baseline', root: REPO_ROOT, env: clean },
  { name: 'twin', root: REPO_ROOT, env: clean },
  { name: 'slowed', root: REPO_ROOT, env: { ...clean, [INJECT_ENV]: values.inject } },
];
let falseAlarms = 0;
let caught = 0;
const lines: string[] = [];

function judgePair(i: number, dir: string): void {
  const side = (name: string) => pool(loadSide(path.join(dir, name)));
  const base = side('baseline');
  const aa = compare(base, side('twin'), GATE_DEFAULTS);
  const slow = compare(base, side('slowed'), GATE_DEFAULTS);
  const alarm = aa.regressions > 0;
  const hit = slow.speed.some((s) => target.test(s.key) && s.verdict === 'regression');
  falseAlarms += alarm ? 1 : 0;
  caught += hit ? 1 : 0;
  const line = `pair ${i}: A/A ${alarm ? `FALSE ALARM (${aa.speed.filter((s) => s.verdict === 'regression').map((s) => `${s.key} ${s.detail}`).join('; ')})` : 'pass'}; injected ${hit ? 'caught' : `MISSED (${slow.speed.filter((s) => target.test(s.key)).map((s) => s.detail).join('; ')})`}`;
  lines.push(line);
  console.log(line);
}

const outDir = values.judge ?? values.out!;
if (values.judge) {
  const numbered = fs.readdirSync(values.judge).filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => a - b);
  for (const i of numbered) judgePair(i, path.join(values.judge, String(i)));
} else {
  for (let i = 1; i <= pairs; i++) {
    const dir = path.join(outDir, String(i));
    await runInterleaved(
      { cells: suite.cells, impls: [], backends, timing: suite.timing, seeds },
      builds,
      repeat,
      dir,
      (build, round) => {
        const ctx = makeContext(suite.name, DEFAULT_BASE_SEED, seeds, { role: build.name, round, injectSlowdown: build.env?.[INJECT_ENV] }, new Date());
        return { ...ctx, runId: `${ctx.runId}-${build.name}-r${round}` };
      },
      silentProgress,
    );
    judgePair(i, dir);
  }
}
const judged = lines.length;
const summary = `A/A false alarms: ${falseAlarms} of ${judged}; injected ${values.inject} caught: ${caught} of ${judged} (suite ${suite.name}, backends ${backends.join(',')}, ${repeat} interleaved round(s) per side, alpha ${GATE_DEFAULTS.alpha}, minimum effect ${GATE_DEFAULTS.minEffect})`;
console.log(summary);
fs.writeFileSync(path.join(outDir, 'summary.txt'), [...lines, summary].join('\n') + '\n');
