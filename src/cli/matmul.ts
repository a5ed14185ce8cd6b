// `modelbench matmul --backend NAME [--sizes 256,1024,4096] [--out DIR]`: the float32 n x n x n product
// on one backend, as a ceiling for what the models can reach there. Every timed iteration waits for
// the product (it reads one element of it back; the queue runs in order), the first run (shader
// compilation, weight packing) is reported apart, and sampled entries are checked in float64.
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { ensureDir, writeFileAtomic } from '../results/atomic-write.js';
import { runStamp } from '../results/context.js';
import { BACKENDS } from '../backends/registry.js';
import { quantile } from '../stats/descriptive.js';
import { Rng, DEFAULT_BASE_SEED, deriveSeed } from '../seeds.js';
import { textTable, fmt } from '../format.js';
import { type Tf } from '../types.js';
import { BackendUnavailable, TooBig, UsageError } from '../errors.js';
import { timeProductMs } from '../timing/ceiling.js';
import { defineCommand, parseCommand, parseSeed } from './options.js';
import { checkWorkingMemory } from '../models/memory.js';
import { inProcessBackend } from './usage.js';

/** Timed iterations per size after two warm-ups: at least this many, and at least one second's worth. */
const MIN_ITERATIONS = 5;
const MIN_SECONDS = 1;
/** Entries of the product recomputed in float64 on the host. */
const CHECKED_ENTRIES = 32;

interface MatmulRow {
  backend: string;
  device: string;
  n: number;
  first_run_ms: number;
  median_ms: number;
  min_ms: number;
  samples: number;
  gflops: number;
  max_rel_error: number;
  seed: number;
}

async function timeSize(tf: Tf, n: number, seed: number): Promise<Omit<MatmulRow, 'backend' | 'device'>> {
  const rng = new Rng(seed);
  const av = Float32Array.from({ length: n * n }, () => rng.normal());
  const bv = Float32Array.from({ length: n * n }, () => rng.normal());
  const a = tf.tensor2d(av, [n, n]);
  const b = tf.tensor2d(bv, [n, n]);
  const once = () => timeProductMs(tf, a, b);
  const firstRunMs = await once();
  await once();
  await once();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < MIN_ITERATIONS || performance.now() - start < MIN_SECONDS * 1000) samples.push(await once());
  // Check: sampled entries of one more product against float64 dot products.
  const c = tf.matMul(a, b);
  const cv = (await c.data()) as Float32Array;
  tf.dispose([a, b, c]);
  let maxRel = 0;
  for (let k = 0; k < CHECKED_ENTRIES; k++) {
    const i = rng.int(n);
    const j = rng.int(n);
    let exact = 0;
    let scale = 0;
    for (let q = 0; q < n; q++) {
      exact += av[i * n + q] * bv[q * n + j];
      scale += Math.abs(av[i * n + q] * bv[q * n + j]);
    }
    maxRel = Math.max(maxRel, Math.abs(cv[i * n + j] - exact) / scale);
  }
  samples.sort((x, y) => x - y);
  const median = quantile(samples, 0.5);
  return {
    n,
    first_run_ms: firstRunMs,
    median_ms: median,
    min_ms: samples[0],
    samples: samples.length,
    gflops: (2 * n ** 3) / (median / 1000) / 1e9,
    max_rel_error: maxRel,
    seed,
  };
}

export const MATMUL_COMMAND = defineCommand({
  name: 'matmul',
  summary: 'Times float32 n x n products on one backend: GFLOP/s, first run apart, entries checked in float64.',
  options: {
    backend: {
      type: 'string',
      value: BACKENDS.filter((b) => !b.host)
        .map((b) => b.name)
        .join('|'),
      default: 'wasm',
      help: 'the backend',
    },
    sizes: { type: 'string', value: 'n,n', default: '256,1024,4096', help: 'matrix sizes' },
    out: { type: 'string', value: 'DIR', help: 'also write matmul.csv there' },
    seed: { type: 'string', value: 'N', default: String(DEFAULT_BASE_SEED), help: 'seed of the random matrices' },
  },
});

/** Three n x n float32 matrices on the backend and two on the host. */
function checkMemoryOrRefuse(n: number): void {
  try {
    checkWorkingMemory(
      [[`a ${n} x ${n} product (five ${n} x ${n} float32 matrices)`, 5 * n * n * 4]],
      'choose smaller --sizes',
    );
  } catch (e) {
    if (e instanceof TooBig) throw new UsageError(e.message);
    throw e;
  }
}

export async function matmulCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(MATMUL_COMMAND, argv);
  const spec = inProcessBackend(values.backend!, 'matmul');
  const sizes = values.sizes!.split(',').map((s) => Number(s.trim()));
  const bad = sizes.find((n) => !Number.isInteger(n) || n < 1);
  if (bad !== undefined)
    throw new UsageError(`--sizes must be positive integers separated by commas, got '${values.sizes}'`);
  for (const n of sizes) checkMemoryOrRefuse(n);
  const base = parseSeed(values.seed, DEFAULT_BASE_SEED);
  // Before minutes of products: an output folder that cannot be made is known now.
  if (values.out) ensureDir(values.out);
  let active;
  try {
    active = await spec.activate();
  } catch (e) {
    if (e instanceof BackendUnavailable)
      throw new UsageError(`backend ${spec.name} is unavailable: ${e.reason}; fix: ${e.fix}`);
    throw e;
  }
  const rows: MatmulRow[] = [];
  for (const n of sizes) {
    rows.push({
      backend: spec.name,
      device: active.runtime.device,
      ...(await timeSize(active.tf, n, deriveSeed(base, `matmul-${n}`))),
    });
  }
  process.stdout.write(
    textTable(
      ['backend', 'n', 'first run ms', 'median ms', 'GFLOP/s', 'max rel error', 'device'],
      rows.map((r) => [
        r.backend,
        String(r.n),
        fmt(r.first_run_ms, 4),
        fmt(r.median_ms, 4),
        fmt(r.gflops, 4),
        r.max_rel_error.toExponential(1),
        r.device,
      ]),
    ) + '\n',
  );
  if (values.out) {
    const file = path.join(values.out, `${runStamp(new Date())}-matmul-${spec.name}.csv`);
    writeFileAtomic(file, stringify(rows, { header: true }));
    process.stdout.write(`wrote ${file}\n`);
  }
  // float32 sums of n terms: relative to the sum of |terms|, error grows like sqrt(n) * 6e-8.
  const limit = 1e-4;
  const failed = rows.filter((r) => !(r.max_rel_error <= limit));
  for (const r of failed)
    process.stderr.write(`n=${r.n}: sampled entries off float64 by ${r.max_rel_error} (limit ${limit})\n`);
  return failed.length > 0 ? 1 : 0;
}
