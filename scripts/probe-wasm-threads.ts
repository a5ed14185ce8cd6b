// tfjs-backend-wasm's multi-threaded SIMD build, made to start in Node. tfjs 4.22 turns it off there
// (WASM_HAS_MULTITHREAD_SUPPORT is false under IS_NODE, tensorflow/tfjs#3830), and forced on it fails:
// Emscripten starts its pthreads with `new Worker(URL.createObjectURL(blob))`, which Node's
// worker_threads refuse ("must be an absolute path", ERR_WORKER_PATH), and each worker then loads the
// main script from a second blob: URL with fs.readFileSync. Both scripts ship inside the package, so
// they are written to a private temporary folder and the worker is pointed at the files instead.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const WORKER = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
const MAIN = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
/** How the worker reads the main script; the one place the patch depends on Emscripten's output. */
const WORKER_READS_MAIN = 'fs.readFileSync(f,"utf8")';

/** Prepares the files and the URL hook; call before the wasm backend initialises. */
function enableNodeThreads(): void {
  const { wasmWorkerContents } = require(WORKER) as { wasmWorkerContents: string };
  const factory = require(MAIN) as (...args: unknown[]) => unknown;
  // tfjs escapes the newlines inside the worker's string literals the same way before making its blob.
  const escaped = wasmWorkerContents.replace(/\n/g, '\\n');
  if (!escaped.includes(WORKER_READS_MAIN)) throw new Error(`the threaded wasm worker of this tfjs-backend-wasm no longer reads its main script with ${WORKER_READS_MAIN}: wasm-threads needs updating for it`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'modelbench-wasm-threads-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const main = path.join(dir, 'main.js');
  const worker = path.join(dir, 'worker.js');
  writeFileSync(main, `var WasmBackendModuleThreadedSimd = ${factory.toString()}`);
  writeFileSync(worker, escaped.replace(WORKER_READS_MAIN, `fs.readFileSync(String(f).startsWith("blob:") ? ${JSON.stringify(main)} : f, "utf8")`));
  // The only blob tfjs turns into a URL in this process is the worker's (the main script's is made in the worker).
  URL.createObjectURL = () => worker;
}

// ---- The probe: `npx tsx scripts/probe-wasm-threads.ts [threads]` (docs/backends.md, "wasm threads in Node"). ----
const requested = Number(process.argv[2] ?? os.availableParallelism());
enableNodeThreads();
const tf = await import('@tensorflow/tfjs');
const wasm = await import('@tensorflow/tfjs-backend-wasm');
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
wasm.setThreadsCount(requested);
if (!(await tf.setBackend('wasm'))) throw new Error('the threaded wasm build did not start');
const module = (tf.backend() as unknown as { wasm: { PThread: { unusedWorkers: unknown[]; runningWorkers: unknown[] } } }).wasm;
const n = 1024;
const a = tf.randomNormal([n, n]);
await tf.matMul(a, a).data();
const times: number[] = [];
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  await tf.matMul(a, a).data();
  times.push(performance.now() - t0);
}
times.sort((x, y) => x - y);
const median = times[5];
process.stdout.write(
  `threaded SIMD build started in Node: asked for ${requested} threads, XNNPACK's pool has ${wasm.getThreadsCount()}; ` +
    `Emscripten workers: ${module.PThread.unusedWorkers.length} idle, ${module.PThread.runningWorkers.length} running; ` +
    `matMul ${n}: ${median.toFixed(1)} ms median, ${((2 * n ** 3) / median / 1e6).toFixed(1)} GFLOP/s\n`,
);
process.exit(0);
