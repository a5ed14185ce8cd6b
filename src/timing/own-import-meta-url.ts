// An esbuild plugin for builds of our sources into one file (the cell worker, the tests' CLI): each
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
