// Builds the browser backends' page into a folder: `node --import tsx scripts/build-page.ts OUT_DIR`.
// scripts/bundle.mjs runs it, since the bundle carries the page prebuilt; a checkout builds it on first use.
import path from 'node:path';
import { buildPage } from '../src/browser/page-build.js';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node --import tsx scripts/build-page.ts OUT_DIR\n');
  process.exit(2);
}
await buildPage(path.resolve(out));
