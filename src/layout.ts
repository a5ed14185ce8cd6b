// Where modelbench's files are: a checkout run through tsx, or the portable bundle (npm run bundle),
// where every module is one file beside suites/, fixtures/, implementations/ and the .wasm files.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set by scripts/bundle.mjs through esbuild's `define`; absent (undeclared) in a checkout. */
declare const MODELBENCH_BUNDLE: { commit: string; dirty: boolean; versions: Record<string, string> } | undefined;

export const BUNDLE = typeof MODELBENCH_BUNDLE === 'undefined' ? undefined : MODELBENCH_BUNDLE;

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The checkout's root, or the bundle's folder. */
export const ROOT = BUNDLE ? HERE : path.resolve(HERE, '..');

export const SUITES_DIR = path.join(ROOT, 'suites');
export const FIXTURES_DIR = path.join(ROOT, 'fixtures');
/** The bundled implementations under test: one protocol adapter each (Python and JavaScript). */
export const IMPLEMENTATIONS_DIR = path.join(ROOT, 'implementations');
