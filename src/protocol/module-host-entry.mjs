// The module host process's entry in a checkout: tsx's loader for TypeScript (the module under test may be
// TypeScript too), then the host. The bundle runs module-host.cjs directly.
import { register } from 'tsx/esm/api';

register();
await import('./module-host.ts');
