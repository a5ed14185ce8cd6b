// libsvm-js (libsvm 3.22 in WebAssembly) against modelbench's SVM checks: it passes every one. The
// adapter is the one modelbench bundles (its implementations/ folder, exported by the package).
import { createRequire } from 'node:module';
import { describeConformance } from 'modelbench/vitest';

const adapter = createRequire(import.meta.url).resolve('modelbench/implementations/libsvm-js.mjs');

await describeConformance({ model: 'svm', impl: adapter });
