// Builds of our sources into one file per entry (the cell worker, the tests' CLI): each
// source keeps its own file's URL where it asks for it, as it has when run from the checkout.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * The expression each source keeps as its own file's URL (layout.ts finds the checkout from it). Spelt in
 * pieces: a build of this very file that replaces the expression's text (the tests' built CLI does)
 * must not rewrite what this plugin looks for.
 */
const IMPORT_META_URL = ['import', 'meta', 'url'].join('.');

/** Each source file keeps its own import.meta.url (layout.ts finds the checkout from it). */
export const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build: import('esbuild').PluginBuild) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: fs
        .readFileSync(args.path, 'utf8')
        .replaceAll(IMPORT_META_URL, JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

/**
 * esbuild's options for our sources as one ES module per entry, in memory: packages stay imports that
 * Node resolves from the checkout's node_modules (as under tsx), each source keeps its own URL.
 */
export function sourceBuildOptions(entryPoints: Record<string, string>, outdir: string) {
  return {
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external' as const,
    platform: 'node' as const,
    target: 'node20',
    format: 'esm' as const,
    plugins: [ownImportMetaUrl],
    logLevel: 'silent' as const,
    write: false as const,
  };
}
