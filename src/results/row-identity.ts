// Whose code a row timed: ours, or an implementation under test's (and old runs' `peer:` rows).
import type { Row } from '../types.js';

/** A row of an implementation under test (or an old run's peer), not ours. */
export function isImplementationRow(r: Row): boolean {
  return r.backend.startsWith('impl:') || r.backend.startsWith('peer:');
}

/** Whose code a row timed: its implementation column, or for older runs `peer:NAME` -> NAME, else ours. */
export function implementationOf(r: Row): string {
  return r.implementation ?? (isImplementationRow(r) ? r.backend.replace(/^(impl|peer):/, '') : 'modelbench');
}
