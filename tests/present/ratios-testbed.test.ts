// Ratios against peers are quoted with the testbed they were measured on (issue 34).
import assert from 'node:assert/strict';
import { it } from 'vitest';
import { ratiosTestbedLine } from '../../src/present/summary.js';
import { makeContext } from '../../src/results/context.js';
import { seedsFrom } from '../../src/seeds.js';

it('names the testbed, its processor and its widest vector instructions; a pre-testbed run names its machine', () => {
  const ctx = makeContext('q', 1, seedsFrom(1), {});
  const cpu = { ...ctx.testbed!.cpu, name: 'Test CPU', logicalCores: 8, flags: ['avx', 'avx2', 'fma'] };
  const line = ratiosTestbedLine({ ...ctx, testbed: { ...ctx.testbed!, id: 'tb-0123456789', cpu } });
  assert.equal(
    line,
    'these ratios hold for testbed tb-0123456789 only (Test CPU, 8 logical cores, AVX2): compare ratios from one run',
  );
  const old = ratiosTestbedLine({ ...ctx, testbed: undefined, host: 'vm', cpuModel: 'EPYC', cpuCores: 2 });
  assert.match(old, /^these ratios hold for this machine only: unknown .*vm \(EPYC x2\)$/);
});
