// The counted tests' guard: CI installs valgrind (.ci/run) and must run them; elsewhere a machine without it skips
// them with the fix (`apt-get install valgrind`).
import { beforeEach } from 'vitest';
import { valgrindStatus } from '../../src/timing/count/valgrind.js';

/** In a describe block: each test is skipped, with the reason and the fix, where valgrind cannot count (not in CI). */
export function skipWithoutValgrind(): void {
  beforeEach((ctx) => {
    const v = valgrindStatus();
    if (!v.ok && !process.env.CI) ctx.skip(`${v.reason}; fix: ${v.fix}`);
  });
}
