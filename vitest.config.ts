// One place for how the tests run: which files, how long a slow end-to-end test may take, the
// property-test settings every file shares, and the closing `N passed, N failed` line.
import os from 'node:os';
import { defineConfig } from 'vitest/config';

/** The slowest tests train a VAE for an epoch or run a whole suite in child processes (minutes here). */
const SLOW_TEST_MS = 15 * 60_000;

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup/property-settings.ts'],
    testTimeout: SLOW_TEST_MS,
    hookTimeout: SLOW_TEST_MS,
    // One process per file: tfjs registers backends in process-wide state, and a wasm or webgpu
    // backend must not leak from one file's tests into another's.
    pool: 'forks',
    // One file per core, and one more: the slow files are single-threaded (a fit, a child process) and
    // spend a good part of their time waiting on the processes they start (a full run here kept the
    // 2 cores 55% busy with one file per core). No test asserts a speed.
    maxWorkers: os.availableParallelism() + 1,
    reporters: ['default', './tests/setup/count-reporter.ts'],
  },
});
