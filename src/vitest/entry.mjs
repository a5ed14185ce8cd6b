// `modelbench/vitest`: the conformance checks as vitest tests. The package runs its TypeScript
// through tsx (no build step), so this entry registers tsx's loader before loading the module.
import { register } from 'tsx/esm/api';

register();
const { describeConformance, DEFAULT_TIMEOUT_SECONDS, DEFAULT_MEMORY_MB } = await import('./conformance.ts');

export { describeConformance, DEFAULT_TIMEOUT_SECONDS, DEFAULT_MEMORY_MB };
