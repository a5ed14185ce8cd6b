// Simulated machines for the report's testbed tests: a probe as /proc/cpuinfo and sysfs would give it,
// and runs written straight to their files (results.json, samples.csv, results.csv in the run writer's
// formats) so a test can make a thousand of them in seconds.
import fs from 'node:fs';
import path from 'node:path';
import { makeContext, type RunContext } from '../../src/results/context.js';
import { createExclusiveDir, resultsCsv, samplesCsv } from '../../src/results/run-writer.js';
import { testbedFrom, type HardwareProbe, type Testbed } from '../../src/results/testbed.js';
import { seedsFrom } from '../../src/seeds.js';
import type { Row } from '../../src/types.js';
import { latencies, row } from '../helpers/runs.js';

export interface Machine {
  readonly name?: string;
  readonly vendor?: string;
  readonly flags?: readonly string[];
  readonly cores?: number;
  readonly l2?: string;
  readonly gpus?: readonly string[];
  readonly memoryGiB?: number;
}

export const BASE_FLAGS = ['fpu', 'sse', 'sse2', 'sse4_1', 'sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'hypervisor'];
export const AVX512 = ['avx512f', 'avx512dq', 'avx512cd', 'avx512bw', 'avx512vl', 'avx512_vnni'];

/** /proc/cpuinfo of `cores` processors, one core each, as the kernel writes it on x86. */
export function cpuinfo(m: Machine): string {
  const cores = m.cores ?? 2;
  return Array.from({ length: cores }, (_, i) =>
    [
      `processor\t: ${i}`,
      `vendor_id\t: ${m.vendor ?? 'AuthenticAMD'}`,
      'cpu family\t: 25',
      'model\t\t: 1',
      `model name\t: ${m.name ?? 'AMD EPYC'}`,
      'stepping\t: 1',
      'microcode\t: 0x1000065',
      'physical id\t: 0',
      `core id\t\t: ${i}`,
      `flags\t\t: ${(m.flags ?? BASE_FLAGS).join(' ')}`,
    ].join('\n'),
  ).join('\n\n') + '\n';
}

export function probe(m: Machine = {}): HardwareProbe {
  return {
    arch: 'x64',
    cpuinfo: cpuinfo(m),
    fallbackCpuName: m.name ?? 'AMD EPYC',
    logicalCores: m.cores ?? 2,
    caches: { L1d: '32K', L1i: '32K', L2: m.l2 ?? '512K', L3: '32768K' },
    governor: 'performance',
    memoryBytes: (m.memoryGiB ?? 8) * 2 ** 30,
    gpus: m.gpus ?? [],
  };
}

export function testbed(m: Machine = {}, name?: string): Testbed {
  return testbedFrom(probe(m), name);
}

let base: RunContext | undefined;
let clock = Date.UTC(2026, 5, 1);

/** A finished run on `testbed` (undefined: a pre-testbed run, as results/baselines holds), written at once. */
export function writeFastRun(parent: string, rows: readonly Row[], context: Partial<RunContext> & { testbed: Testbed | undefined }): string {
  base ??= makeContext('quick', 1, seedsFrom(1), {}, new Date(clock));
  clock += 1000;
  const stamp = new Date(clock).toISOString().replace(/[:.]/g, '-');
  const { testbed: tb, ...rest } = context;
  const { testbed: _drop, ...withoutTestbed } = base;
  const when = { runId: `${stamp}-quick-abc1234`, timestamp: new Date(clock).toISOString(), complete: true };
  const ctx = { ...withoutTestbed, ...rest, ...(tb ? { testbed: tb } : {}), ...when } as RunContext;
  const id = createExclusiveDir(parent, ctx.runId);
  const dir = path.join(parent, id);
  const json = { context: { ...ctx, runId: id }, rows: rows.map(({ rawSamples: _s, ...r }) => r) };
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify(json));
  fs.writeFileSync(path.join(dir, 'samples.csv'), samplesCsv({ ...ctx, runId: id }, rows));
  fs.writeFileSync(path.join(dir, 'results.csv'), resultsCsv({ ...ctx, runId: id }, rows));
  return dir;
}

export interface Fleet {
  readonly testbeds: number;
  readonly runsPerTestbed: number;
  readonly samples?: number;
}

export const FLEET_CELLS = [
  ['logreg', 'fit', 'rows=1000;cols=10'],
  ['logreg', 'predict', 'rows=10000;cols=10'],
  ['svm', 'fit-linear', 'rows=1000;cols=20'],
  ['vae', 'train-step', 'batch=128'],
] as const;

/** Testbed i of a fleet: cores and L2 grow with i, odd ones have AVX-512; it is (1 + i / 4) times as fast as testbed 0. */
export function fleetTestbed(i: number): Testbed {
  return testbed({ cores: 2 + 2 * (i % 4), l2: `${512 * (1 + Math.floor(i / 4))}K`, flags: i % 2 === 1 ? [...BASE_FLAGS, ...AVX512] : BASE_FLAGS });
}

export const fleetSpeed = (i: number) => 1 + i / 4;

/** Runs of `testbeds` machines, cpu and wasm on every cell (wasm 3x cpu), webgpu unavailable with its reason in the context. */
export function writeFleet(dir: string, fleet: Fleet): string[] {
  const out: string[] = [];
  let seed = 1;
  const reason = 'no GPU adapter here (llvmpipe only)';
  const unavailable = { name: 'webgpu', available: false, reason, fix: 'run on a machine with a GPU and its Vulkan driver' };
  const nothing = { samples: 0, medianMs: undefined, throughput: undefined, check: undefined };
  for (let t = 0; t < fleet.testbeds; t++) {
    const tb = fleetTestbed(t);
    for (let r = 0; r < fleet.runsPerTestbed; r++) {
      const rows = FLEET_CELLS.flatMap(([model, workload, size]) => [
        ...(['cpu', 'wasm'] as const).map((backend) => {
          const ms = 20 / fleetSpeed(t) / (backend === 'wasm' ? 3 : 1);
          return row({ model, workload, size, backend }, latencies(ms, fleet.samples ?? 30, seed++));
        }),
        row({ model, workload, size, backend: 'webgpu', status: 'unavailable', error: `${reason}; ${unavailable.fix}`, ...nothing }, []),
      ]);
      out.push(writeFastRun(dir, rows, { testbed: tb, host: `host-${t}`, backends: [unavailable] }));
    }
  }
  return out;
}
