// The counted gate's extra work costs what inject-work.ts says an iteration costs: its loop counted in a region of its
// own under callgrind, with the counted processes' V8 flags (slow tier: a process under valgrind).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { estimatedCycles } from '../../src/timing/count/cost-model.js';
import { regionCounter } from '../../src/timing/count/region-counter.js';
import { callgrindArgs, readCounts, V8_DETERMINISTIC } from '../../src/timing/count/valgrind.js';
import { LOOP_CYCLES_PER_ITERATION } from '../../src/timing/inject-work.js';
import { tmpDir } from '../helpers/runs.js';
import { skipWithoutValgrind } from '../helpers/valgrind.js';

const ITERATIONS = 3_000_000;

/** A process that warms the loop up, then counts ITERATIONS of it in one region. */
function script(counterFile: string): string {
  const loop = path.resolve('src/timing/work-loop.ts');
  return [
    `import { workLoop } from ${JSON.stringify(loop)};`,
    `const counter = { exports: {} }; process.dlopen(counter, ${JSON.stringify(counterFile)});`,
    `const work = workLoop(); let acc = 0;`,
    `for (let k = 0; k < 8; k++) acc = work(1000, acc);`,
    `counter.exports.start(); counter.exports.zero(); acc = work(${ITERATIONS}, acc); counter.exports.dump();`,
    `console.log(acc);`,
  ].join('\n');
}

describe('the extra work of a counted calibration', () => {
  skipWithoutValgrind();

  it('counts LOOP_CYCLES_PER_ITERATION estimated cycles an iteration, within 1%, and no cache misses to speak of', () => {
    const counter = regionCounter();
    assert.ok(counter.ok, counter.ok ? '' : `${counter.reason}; fix: ${counter.fix}`);
    const dir = tmpDir();
    const file = path.join(dir, 'count-loop.mts');
    fs.writeFileSync(file, script(counter.file));
    const out = path.join(dir, 'callgrind.out');
    const args = [...callgrindArgs(out), process.execPath, ...V8_DETERMINISTIC, '--import', 'tsx', file];
    const r = spawnSync('valgrind', args, { encoding: 'utf8', timeout: 600_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '2');
    const counts = readCounts(`${out}.1-01`);
    const perIteration = estimatedCycles(counts) / ITERATIONS;
    assert.ok(Math.abs(perIteration / LOOP_CYCLES_PER_ITERATION - 1) < 0.01, `${perIteration} cycles an iteration`);
    assert.ok(counts.ir / ITERATIONS > 0.99 * perIteration, `instructions ${counts.ir}`);
  });
});
