import { defineConfig } from 'vitest/config';

// Each conformance test sets its own time limit from the per-request limit; only the hook needs one here.
export default defineConfig({ test: { include: ['tests/**/*.test.ts'], hookTimeout: 120_000 } });
