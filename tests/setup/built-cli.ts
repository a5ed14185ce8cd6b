// vitest globalSetup: the modelbench CLI built once per test run, for the tests that start it as a child
// process. Through bin/modelbench.mjs each start pays tsx's loader hooks in front of every module
// (tfjs, vega, playwright-core and our ~190 sources): about 2.4 s here against 1.1 s for the same
// sources built into one ES module. So src/cli/main.ts is built the way src/timing/worker-build.ts
// builds the worker: our sources in one file, every package left to Node (resolved from this
// checkout's node_modules, as under tsx), and each source keeping its own import.meta.url (layout.ts
// finds the checkout from it). It is the real CLI from the sources of this run, started with plain
// Node; tests/cli/help.test.ts also starts bin/modelbench.mjs itself, so the launcher stays covered.
// The file is named by its content hash, written beside and renamed into place, so that two test
// runs at once (from checkouts with different sources) never run each other's or a half-written
// build. Where esbuild cannot build it, the tests start bin/modelbench.mjs (with a warning).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { sourceBuildOptions } from '../../src/timing/source-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file tests/helpers/cli.ts starts with `node`: the built CLI, or bin/modelbench.mjs. */
    modelbenchCli: string;
  }
}

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO, 'bin/modelbench.mjs');
const CACHE = path.join(REPO, 'node_modules', '.cache', 'modelbench-test-cli');
/** Builds not used for this long are removed (a test run lasts minutes, and touches its build when it starts). */
const STALE_MS = 2 * 3600_000;

async function buildCli(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build(sourceBuildOptions({ modelbench: path.join(REPO, 'src/cli/main.ts') }, CACHE));
  const text = result.outputFiles[0].text;
  const dir = path.join(CACHE, createHash('sha256').update(REPO).update('\0').update(text).digest('hex').slice(0, 16));
  const file = path.join(dir, 'modelbench.mjs');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }
  const now = Date.now();
  for (const entry of fs.readdirSync(CACHE, { withFileTypes: true })) {
    const p = path.join(CACHE, entry.name);
    if (entry.isDirectory() && p !== dir && now - fs.statSync(p).mtimeMs > STALE_MS)
      fs.rmSync(p, { recursive: true, force: true });
  }
  // Touched on every use, so that a build in use is never the stale one.
  fs.utimesSync(dir, new Date(), new Date());
  return file;
}

export default async function setup(project: TestProject): Promise<void> {
  let cli = BIN;
  try {
    cli = await buildCli();
  } catch (e) {
    process.stderr.write(
      `tests/setup/built-cli.ts: could not build the CLI (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); the tests start ${BIN} through tsx instead\n`,
    );
  }
  project.provide('modelbenchCli', cli);
}
