// The region counter builds with the machine's C compiler and loads into Node; outside valgrind its
// requests do nothing and it says it is not running under valgrind (under valgrind: count.slow.test.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';
import { regionCounter } from '../../src/timing/count/region-counter.js';

describe('the region counter', () => {
  it('builds once, and its requests are harmless outside valgrind', (ctx) => {
    const status = regionCounter();
    // CI installs gcc with valgrind (.ci/run) and must run this.
    if (!status.ok && !process.env.CI) return ctx.skip(`${status.reason}; fix: ${status.fix}`);
    assert.ok(status.ok, status.ok ? '' : `${status.reason}; fix: ${status.fix}`);
    assert.equal(regionCounter(), status);
    const script =
      `const m = { exports: {} }; process.dlopen(m, ${JSON.stringify(status.file)});` +
      `m.exports.start(); m.exports.zero(); m.exports.dump(); console.log(m.exports.running());`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'false');
  });
});
