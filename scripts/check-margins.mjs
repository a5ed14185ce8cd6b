#!/usr/bin/env node
// Measures the margin of every VAE and GAN check: runs it over N property seeds on our reference and on
// independent correct implementations (the PyTorch peers), and records the distribution of the measured
// value against the tolerance. A check whose worst seed is more than half its tolerance is flagged:
// correct code passes it by too little (docs/protocol.md, "Margins").
//
//   node scripts/check-margins.mjs [--seeds 10] [--models vae,gan] [--checks a,b] [--out results/baselines/check-margins-DATE]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { validate } from '../src/api/entry.mjs';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '10' }, out: { type: 'string' }, models: { type: 'string', default: 'vae,gan' }, checks: { type: 'string' } } });
const seeds = Number(values.seeds);
if (!Number.isInteger(seeds) || seeds < 1) throw new Error(`--seeds must be a positive integer, got '${values.seeds}'`);
const out = values.out ?? path.join('results/baselines', `check-margins-${new Date().toISOString().slice(0, 10)}`);
const IMPLEMENTATIONS = [
  { name: 'modelbench reference (tfjs wasm)', impl: 'src/validate/reference-impl.ts' },
  { name: 'PyTorch (bundled pytorch-1-thread)', impl: '/usr/bin/python3 implementations/pytorch_models.py 1', env: ['OMP_WAIT_POLICY=PASSIVE'] },
];

/** Checks whose measured value must stay at or below the tolerance; the others must stay above 0. */
const upperBounded = (o) => o.tolerance !== undefined;

const records = [];
for (const model of values.models.split(',')) {
  for (const implementation of IMPLEMENTATIONS) {
    for (let seed = 1; seed <= seeds; seed++) {
      const t0 = Date.now();
      const checks = values.checks?.split(',').filter((c) => c.startsWith(`${model}-`));
      if (checks && checks.length === 0) continue;
      const outcome = await validate({ model, impl: implementation.impl, env: implementation.env, seed, ...(checks ? { checks } : {}) });
      if (outcome.code === 2) throw new Error(`${implementation.name} could not be validated: ${outcome.why}`);
      for (const o of outcome.outcomes) records.push({ model, implementation: implementation.name, seed, check: o.check, status: o.status, measured: o.measured, tolerance: o.tolerance, detail: o.detail });
      process.stderr.write(`${model} ${implementation.name} seed ${seed}: ${outcome.outcomes.filter((o) => o.status === 'passed').length}/${outcome.outcomes.length} passed (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
  }
}

const summary = [];
for (const check of [...new Set(records.map((r) => r.check))]) {
  for (const implementation of IMPLEMENTATIONS.map((i) => i.name)) {
    const rs = records.filter((r) => r.check === check && r.implementation === implementation);
    const measured = rs.map((r) => r.measured).filter((v) => typeof v === 'number').sort((a, b) => a - b);
    const tolerance = rs[0]?.tolerance;
    const bounded = upperBounded(rs[0] ?? {});
    const worst = bounded ? measured[measured.length - 1] : measured[0];
    summary.push({
      check,
      implementation,
      seeds: rs.length,
      passed: rs.filter((r) => r.status === 'passed').length,
      min: measured[0],
      median: measured[Math.floor(measured.length / 2)],
      max: measured[measured.length - 1],
      tolerance: bounded ? tolerance : '> 0',
      worstOverTolerance: bounded ? worst / tolerance : undefined,
      clearMargin: bounded ? worst <= tolerance / 2 : worst > 0,
    });
  }
}

const g = (v) => (v === undefined ? '' : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(1) : v.toPrecision(3));
const lines = [
  `| check | implementation | passed | min | median | max | tolerance | worst / tolerance |`,
  `|---|---|---|---|---|---|---|---|`,
  ...summary.map((s) => `| ${s.check} | ${s.implementation} | ${s.passed}/${s.seeds} | ${g(s.min)} | ${g(s.median)} | ${g(s.max)} | ${s.tolerance} | ${s.worstOverTolerance === undefined ? '' : g(s.worstOverTolerance)}${s.clearMargin ? '' : ' (under half: NO)'} |`),
];
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'margins.json'), JSON.stringify({ date: new Date().toISOString(), seeds, records, summary }, null, 2) + '\n');
writeFileSync(path.join(out, 'margins.md'), lines.join('\n') + '\n');
process.stdout.write(lines.join('\n') + `\n\nwritten: ${out}/margins.{json,md}\n`);
const unclear = summary.filter((s) => !s.clearMargin || s.passed < s.seeds);
process.exitCode = unclear.length > 0 ? 1 : 0;
