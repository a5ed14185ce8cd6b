// Installed package versions, read from their package.json (not from what we asked npm for).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The installed version of a package, or undefined when it is not installed. */
export function installedVersion(pkg: string): string | undefined {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}
