// Installed package versions, read from their package.json (not from what we asked npm for).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE } from '../layout.js';

// Made on first use: a browser page (src/browser/page-build.ts) loads this module and has no require.
let cachedRequire: NodeJS.Require | undefined;
const requireHere = (): NodeJS.Require => (cachedRequire ??= createRequire(import.meta.url));

/** The installed version of a package, or undefined when it is not installed. */
export function installedVersion(pkg: string): string | undefined {
  // The bundle holds no package.json files: it carries the versions it was built from.
  if (BUNDLE) return BUNDLE.versions[pkg];
  try {
    return (requireHere()(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    // A package whose `exports` hide its package.json (tinybench): find it above its entry point.
    return versionBesideEntry(pkg);
  }
}

function versionBesideEntry(pkg: string): string | undefined {
  let entry: string;
  try {
    entry = requireHere().resolve(pkg);
  } catch {
    try {
      entry = fileURLToPath(import.meta.resolve(pkg));
    } catch {
      return undefined;
    }
  }
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (json.name === pkg) return json.version;
  }
  return undefined;
}
