// Installed package versions, read from their package.json (not from what we asked npm for).
import { createRequire } from 'node:module';
import { BUNDLE } from '../layout.js';

const require = createRequire(import.meta.url);

/** The installed version of a package, or undefined when it is not installed. */
export function installedVersion(pkg: string): string | undefined {
  // The bundle holds no package.json files: it carries the versions it was built from.
  if (BUNDLE) return BUNDLE.versions[pkg];
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}
