// One place for how the tests run: which files, how long a slow end-to-end test may take, the
// property-test settings every file shares, and the closing `N passed, N failed` line.
import os from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import LongestFirstSequencer from './tests/setup/sequencer.js';

/** The slowest tests train a VAE for an epoch or run a whole suite in child processes (minutes here). */
const SLOW_TEST_MS = 15 * 60_000;
/** Set by `npm run test:slow`. */
const SLOW = process.env.MODELBENCH_SLOW_TESTS === '1';

export default defineConfig({
  test: {
    // Two tiers: `npm test` runs the default one (about 4 minutes here, quiet); `npm run test:slow` the
    // end-to-end files named *.slow.test.ts (the correct twins of the whole check catalogue, third-party
    // verdicts, every model in Chromium pages, interleaved runs, the CI recipe, the packed package and
    // the portable bundle). CI runs both.
    include: SLOW ? ['tests/**/*.slow.test.ts'] : ['tests/**/*.test.ts'],
    exclude: SLOW ? configDefaults.exclude : [...configDefaults.exclude, 'tests/**/*.slow.test.ts'],
    setupFiles: ['tests/setup/property-settings.ts'],
    // The CLI built once per run, for the tests that start it as a child process (a second less per start than tsx).
    globalSetup: ['tests/setup/built-cli.ts'],
    testTimeout: SLOW_TEST_MS,
    hookTimeout: SLOW_TEST_MS,
    // One process per file: tfjs registers backends in process-wide state, and a wasm or webgpu
    // backend must not leak from one file's tests into another's.
    pool: 'forks',
    // One file per core in the default tier (vitest's default of cores - 1 runs one at a time on a 2-core machine).
    // No test asserts a speed.
    maxWorkers: os.availableParallelism(),
    // The slow tier one file at a time: its counted files keep both cores busy with valgrind for minutes, and its timed
    // files (bisect, the timed CI recipe) then saw +25% of noise between identical builds (a CI run, 2026-12-04).
    fileParallelism: !SLOW,
    // Longest files first, also on a fresh clone (no cached durations): see tests/setup/sequencer.ts.
    sequence: { sequencer: LongestFirstSequencer },
    reporters: ['default', './tests/setup/count-reporter.ts'],
  },
});
