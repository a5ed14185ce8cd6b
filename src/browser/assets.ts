// Where a browser backend's page comes from: the portable bundle carries it prebuilt (browser/); a
// checkout builds it with esbuild on first use and keeps it under node_modules/.cache, keyed by the
// sources and the lockfile, so an edit rebuilds it and an unchanged checkout does not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE, ROOT } from '../layout.js';
import { sourceKey } from '../source-key.js';
import { BackendUnavailable } from '../errors.js';

/** The bundle's folder for the page (scripts/bundle.mjs writes it). */
export const BUNDLED_PAGE_DIR = 'browser';

/** The folder holding index.html, page.js and wasm/, built if need be. */
export async function pageAssets(): Promise<string> {
  if (BUNDLE) return path.join(ROOT, BUNDLED_PAGE_DIR);
  const cacheRoot = fs.existsSync(path.join(ROOT, 'node_modules'))
    ? path.join(ROOT, 'node_modules/.cache/modelbench-page')
    : path.join(os.tmpdir(), 'modelbench-page');
  const dir = path.join(cacheRoot, sourceKey(ROOT));
  if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  let build: typeof import('./page-build.js').buildPage;
  try {
    ({ buildPage: build } = await import('./page-build.js'));
    await import('esbuild');
  } catch (e) {
    throw new BackendUnavailable(
      `the browser page is built with esbuild, which is not installed (${e instanceof Error ? e.message : String(e)})`,
      "reinstall with `npm ci` (esbuild is one of modelbench's " +
        'dependencies), or use the portable bundle (npm run bundle), which ' +
        'carries the page',
    );
  }
  // Built beside and renamed into place: two processes building at once both end with a whole folder.
  const tmp = `${dir}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  await build(tmp);
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}
