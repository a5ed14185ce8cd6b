// libsvm-js (libsvm 3.22 in WebAssembly) against modelbench's SVM checks: it passes every one.
import { describeConformance } from 'modelbench/vitest';

await describeConformance({ model: 'svm', impl: new URL('../adapters/libsvm-js.mjs', import.meta.url) });
