// Valgrind as a counter of executed instructions and simulated cache misses (cachegrind for a whole
// process, callgrind for the regions a process marks with the region counter): what a process does,
// not how long it took, so no other job on the machine can move it. The cache is
// simulated with fixed sizes (not the host's), so that counts from two machines are comparable.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * V8 made deterministic: one thread, GC by allocation not time, fixed seeds, wasm compiled once by TurboFan (no tier-up
 * on a time budget).
 */
export const V8_DETERMINISTIC = [
  '--single-threaded',
  '--predictable',
  '--predictable-gc-schedule',
  '--hash-seed=1',
  '--random-seed=1',
  '--no-liftoff',
  '--no-wasm-tier-up',
  '--no-memory-reducer',
  // Array buffers freed on a worker thread leave malloc's free lists as that thread's timing has it, and the next
  // buffers' calloc clears more or less memory (measured: 0.06% of a matMul's estimated cycles between processes).
  '--no-concurrent-array-buffer-sweeping',
  // V8 drops the bytecode of functions that have not run for a few major collections, and a full collection asked for
  // (gc()) counts as several: every closure the next call creates compiles again, with TurboFan where it had been
  // optimised. Measured on wasm logreg fit 250 x 10: half of a counted region's 247 M instructions were TurboFan
  // compiling, and its processes spread 0.7%; without flushing (and the collections before the warm-up), 106 M and
  // no compilation in the region.
  '--no-flush-bytecode',
  // Incremental marking sizes its steps by the marking speed it measures on the clock: where a major collection
  // ends would then depend on how fast the machine ran. Marking all at once depends on allocation only.
  '--no-incremental-marking',
  '--expose-gc',
];

/**
 * The simulated caches, on every host: 32 KiB 8-way L1s and an 8 MiB last level, 64-byte lines. The last level is
 * 2048-way (64 sets), so that, like the L1s, its set index lies within a 4 KiB page: which pages the kernel and the
 * allocator hand a process then cannot change its misses, only what it touches can. With a 16-way last level (8192
 * sets) an identical cpu row's processes differed by up to 0.62% of estimated cycles; 2048-way, by at most 0.07% in the
 * same run of 8 rows (docs/counted-measurement.md).
 */
export const SIMULATED_CACHES = ['--I1=32768,8,64', '--D1=32768,8,64', '--LL=8388608,2048,64'];

/** The least valgrind that counts Node 20 correctly (3.15 added the instructions V8 emits on x86-64). */
const MIN_VERSION: readonly [number, number] = [3, 15];

/** Cachegrind's events for a whole process. */
export interface Counts {
  readonly ir: number;
  readonly i1mr: number;
  readonly ilmr: number;
  readonly dr: number;
  readonly d1mr: number;
  readonly dlmr: number;
  readonly dw: number;
  readonly d1mw: number;
  readonly dlmw: number;
}

export type ValgrindStatus =
  | { readonly ok: true; readonly version: string }
  | { readonly ok: false; readonly reason: string; readonly fix: string };

let cached: ValgrindStatus | undefined;

/** Whether valgrind is installed and new enough to count here. */
export function valgrindStatus(): ValgrindStatus {
  if (cached) return cached;
  const r = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  const version = /valgrind-(\d+)\.(\d+)/.exec(r.stdout ?? '');
  if (r.error || !version) cached = { ok: false, reason: 'valgrind is not installed', fix: 'apt-get install valgrind' };
  else if (Number(version[1]) * 100 + Number(version[2]) < MIN_VERSION[0] * 100 + MIN_VERSION[1]) {
    cached = {
      ok: false,
      reason: `valgrind ${version[1]}.${version[2]} is older than ${MIN_VERSION.join('.')}`,
      fix: 'install valgrind 3.15 or later (Debian 11 and later have it)',
    };
  } else cached = { ok: true, version: r.stdout.trim() };
  return cached;
}

/** The valgrind arguments that count one process into `outFile`. */
export function cachegrindArgs(outFile: string): string[] {
  return ['--tool=cachegrind', '--cache-sim=yes', ...SIMULATED_CACHES, `--cachegrind-out-file=${outFile}`];
}

/**
 * The valgrind arguments that count only the regions a process marks (region-counter.ts): nothing is
 * instrumented until the process asks, and each of its dumps is written to `outFile`.1-01, .2-01, ... (the main
 * thread's; other threads' are -02, -03, ...)
 */
export function callgrindArgs(outFile: string): string[] {
  return [
    '--tool=callgrind',
    '--instr-atstart=no',
    // Each thread's counts apart: ours run on the main thread, and Node's helper threads start at times of their own.
    '--separate-threads=yes',
    // V8's compilers are not counted: a function reaches its tier-up budget whenever its own calls have used it up,
    // also inside a region (cpu logreg predict 500 x 5, 128 calls of warm-up: 40% of its region's instructions were
    // TurboFan compiling one helper, and the compilers' zone memory, laid out differently in each process, made most
    // of its spread). Steady-state calls are what a row measures. --collect-atstart must follow --toggle-collect,
    // which turns it off.
    '--toggle-collect=v8::internal::Compiler::*',
    '--collect-atstart=yes',
    '--cache-sim=yes',
    ...SIMULATED_CACHES,
    `--callgrind-out-file=${outFile}`,
  ];
}

const EVENT_FIELDS: Readonly<Record<string, keyof Counts>> = {
  Ir: 'ir',
  I1mr: 'i1mr',
  ILmr: 'ilmr',
  Dr: 'dr',
  D1mr: 'd1mr',
  DLmr: 'dlmr',
  Dw: 'dw',
  D1mw: 'd1mw',
  DLmw: 'dlmw',
};

/** The counts in a cachegrind or callgrind output file (its `events:` and `summary:` lines). */
export function readCounts(outFile: string): Counts {
  const text = fs.readFileSync(outFile, 'utf8');
  const events = /^events: (.+)$/m.exec(text)?.[1].trim().split(/\s+/);
  const summary = /^summary: (.+)$/m.exec(text)?.[1].trim().split(/\s+/).map(Number);
  if (!events || !summary || events.length !== summary.length)
    throw new Error(`${outFile} has no summary of counts (was the process killed before it ended?)`);
  const counts: Record<string, number> = {};
  events.forEach((name, i) => {
    if (EVENT_FIELDS[name]) counts[EVENT_FIELDS[name]] = summary[i];
  });
  for (const field of Object.values(EVENT_FIELDS))
    if (!Number.isFinite(counts[field]))
      throw new Error(`${outFile}: valgrind did not count ${field} (--cache-sim=yes missing?)`);
  return counts as unknown as Counts;
}
