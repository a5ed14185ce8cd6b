// One place for how the tests run: which files, how long a slow end-to-end test may take, the
// property-test settings every file shares, and the closing `N passed, N failed` line.
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
    reporters: ['default', './tests/setup/count-reporter.ts'],
  },
});
