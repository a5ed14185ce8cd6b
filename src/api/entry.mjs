// `modelbench` as a library (src/api/api.ts). The package runs its TypeScript through tsx (no build
// step), so this entry registers tsx's loader before loading the module.
import { register } from 'tsx/esm/api';

register();
const api = await import('./api.ts');

export const { run, validate, compare, report, UsageError } = api;
