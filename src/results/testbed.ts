// What decides a machine's speed, recorded with every run, and the testbed id that keeps machines apart
// in report and compare. The id hashes the hardware part only: an update of Node, tfjs, the microcode, a
// driver or the frequency governor leaves a machine the same testbed (those are recorded, and compare
// names them when they differ), while two CPUs whose model names agree but whose instruction sets do not
// (one with AVX-512) are two testbeds. Issue 34: two VMs both called `vm (AMD EPYC x2)` moved a ratio 3.5x.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestbedCpu {
  readonly vendor: string;
  readonly family: string;
  readonly model: string;
  readonly stepping: string;
  readonly name: string;
  readonly microcode?: string;
  /** The instruction-set flags that decide which kernels run (SSE4, AVX*, FMA, AMX, NEON, SVE), sorted. */
  readonly flags: readonly string[];
  /** Cache sizes of cpu0 by level and kind: {"L1d": "32K", "L1i": "32K", "L2": "512K", "L3": "32768K"}. */
  readonly caches: Readonly<Record<string, string>>;
  readonly logicalCores: number;
  readonly physicalCores: number;
  readonly governor?: string;
}

export interface Testbed {
  /** The name given to `run --testbed`, or tb-<hash>. */
  readonly id: string;
  /** Hash of the hardware part (never of versions), whatever the name. */
  readonly hash: string;
  readonly named: boolean;
  readonly arch: string;
  readonly cpu: TestbedCpu;
  readonly memoryGiB: number;
  /** PCI display and 3D controllers as vendor:device ids (10de:2335 is an H200). */
  readonly gpus: readonly string[];
  /** The GPU kernel driver's version where it says one (/proc/driver/nvidia/version). */
  readonly gpuDriver?: string;
}

/** What the machine says about itself; the tests build these by hand to simulate machines. */
export interface HardwareProbe {
  readonly arch: string;
  /** /proc/cpuinfo, or '' where there is none (then the fallbacks below are all there is). */
  readonly cpuinfo: string;
  readonly fallbackCpuName: string;
  readonly logicalCores: number;
  readonly caches: Readonly<Record<string, string>>;
  readonly governor?: string;
  readonly memoryBytes: number;
  readonly gpus: readonly string[];
  readonly gpuDriver?: string;
}

/** Pre-testbed runs (results before issue 34) are shown under this name, never merged into a testbed. */
export const PRE_TESTBED = 'unknown (pre-testbed run)';

const FLAG = /^(sse4_[12]|sse4a|avx\w*|fma4?|f16c|amx\w*|asimd\w*|sve\w*|i8mm|bf16)$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function readOr(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function cacheSizes(): Record<string, string> {
  const dir = '/sys/devices/system/cpu/cpu0/cache';
  const out: Record<string, string> = {};
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(dir).filter((d) => d.startsWith('index'));
  } catch {
    return out;
  }
  for (const d of entries.sort()) {
    const [level, type, size] = ['level', 'type', 'size'].map((f) => readOr(path.join(dir, d, f)));
    if (!level || !size) continue;
    out[`L${level}${type === 'Data' ? 'd' : type === 'Instruction' ? 'i' : ''}`] = size;
  }
  return out;
}

/** Display (0x0300) and 3D (0x0302, compute GPUs such as the H200) controllers on the PCI bus. */
function pciGpus(): string[] {
  const dir = '/sys/bus/pci/devices';
  let devices: string[] = [];
  try {
    devices = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const ids = devices.filter((d) => readOr(path.join(dir, d, 'class'))?.startsWith('0x03'));
  return ids
    .map((d) => `${readOr(path.join(dir, d, 'vendor'))?.slice(2)}:${readOr(path.join(dir, d, 'device'))?.slice(2)}`)
    .sort();
}

export function probeHardware(): HardwareProbe {
  const nvidia = readOr('/proc/driver/nvidia/version')?.split('\n')[0].replace(/\s+/g, ' ');
  return {
    arch: os.arch(),
    cpuinfo: readOr('/proc/cpuinfo') ?? '',
    fallbackCpuName: os.cpus()[0]?.model ?? 'unknown',
    logicalCores: os.cpus().length,
    caches: cacheSizes(),
    governor: readOr('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor'),
    memoryBytes: os.totalmem(),
    gpus: pciGpus(),
    gpuDriver: nvidia,
  };
}

/** The first processor's fields of /proc/cpuinfo (x86 and Arm names), and the physical cores over all of them. */
function parseCpuinfo(text: string): { fields: Map<string, string>; physical: number; logical: number } {
  const blocks = text.split(/\n\s*\n/).filter((b) => /^processor\s*:/m.test(b));
  const fieldsOf = (b: string) => {
    const pairs = b.split('\n').map((l) => l.split(/\s*:\s*/, 2) as [string, string | undefined]);
    return new Map(pairs.filter(([k, v]) => k && v !== undefined).map(([k, v]) => [k.trim(), v!.trim()]));
  };
  const all = blocks.map(fieldsOf);
  // Arm's cpuinfo keeps the model name and the like outside the processor blocks.
  const fields = new Map([
    ...fieldsOf(
      text
        .split(/\n\s*\n/)
        .filter((b) => !/^processor\s*:/m.test(b))
        .join('\n'),
    ),
    ...(all[0] ?? new Map()),
  ]);
  const cores = new Set(
    all.filter((f) => f.has('core id')).map((f) => `${f.get('physical id') ?? 0}:${f.get('core id')}`),
  );
  return { fields, physical: cores.size, logical: all.length };
}

export function cpuFromProbe(p: HardwareProbe): TestbedCpu {
  const { fields: f, physical, logical } = parseCpuinfo(p.cpuinfo);
  const get = (...keys: string[]) => keys.map((k) => f.get(k)).find((v) => v !== undefined && v !== '') ?? '';
  const flags = get('flags', 'Features')
    .split(/\s+/)
    .filter((x) => FLAG.test(x));
  const stepping = get('stepping') || [get('CPU variant'), get('CPU revision')].filter(Boolean).join('/');
  const logicalCores = logical || p.logicalCores;
  return {
    vendor: get('vendor_id', 'CPU implementer') || 'unknown',
    family: get('cpu family', 'CPU architecture'),
    model: get('model', 'CPU part'),
    stepping,
    name: get('model name', 'Hardware', 'Model') || p.fallbackCpuName,
    ...(get('microcode') ? { microcode: get('microcode') } : {}),
    flags: [...new Set(flags)].sort(),
    caches: p.caches,
    logicalCores,
    physicalCores: physical || logicalCores,
    ...(p.governor ? { governor: p.governor } : {}),
  };
}

/** The hash of what a machine is, not of what runs on it: the microcode and governor are left out (see the top). */
function hardwareHash(arch: string, cpu: TestbedCpu, memoryGiB: number, gpus: readonly string[]): string {
  const { microcode: _m, governor: _g, ...hardware } = cpu;
  // Whole GiB: the kernel's MemTotal moves by megabytes between kernel versions of one machine.
  const key = JSON.stringify({ arch, ...hardware, memoryGiB: Math.round(memoryGiB), gpus });
  return createHash('sha256').update(key).digest('hex').slice(0, 10);
}

/** Why NAME cannot name a testbed, or undefined when it can. */
export function testbedNameProblem(name: string): string | undefined {
  if (NAME.test(name)) return undefined;
  return (
    `--testbed '${name}': a testbed name is 1-64 letters, digits, '.', '_' ` +
    `or '-', starting with a letter or digit; e.g. --testbed ci-epyc-avx512`
  );
}

export function testbedFrom(p: HardwareProbe, name?: string): Testbed {
  const cpu = cpuFromProbe(p);
  const memoryGiB = Math.round((p.memoryBytes / 2 ** 30) * 10) / 10;
  const hash = hardwareHash(p.arch, cpu, memoryGiB, p.gpus);
  const driver = p.gpuDriver ? { gpuDriver: p.gpuDriver } : {};
  return {
    id: name ?? `tb-${hash}`,
    hash,
    named: name !== undefined,
    arch: p.arch,
    cpu,
    memoryGiB,
    gpus: [...p.gpus],
    ...driver,
  };
}

let probed: HardwareProbe | undefined;

/** This machine's testbed; the hardware is read once per process (it does not change under a run). */
export function thisTestbed(name?: string): Testbed {
  probed ??= probeHardware();
  return testbedFrom(probed, name);
}

const TOP_ISA: readonly (readonly [string, string])[] = [
  ['amx_tile', 'AMX'],
  ['avx512f', 'AVX-512'],
  ['avx2', 'AVX2'],
  ['avx', 'AVX'],
  ['sse4_2', 'SSE4.2'],
  ['sve2', 'SVE2'],
  ['sve', 'SVE'],
  ['asimd', 'NEON'],
];

/** One line for a column header: "AMD EPYC · 2c/2t · AVX2 · 1 GPU". */
export function testbedSummary(t: Testbed): string {
  const isa = TOP_ISA.find(([flag]) => t.cpu.flags.includes(flag))?.[1];
  const gpus = t.gpus.length > 0 ? `${t.gpus.length} GPU` : undefined;
  return [t.cpu.name, `${t.cpu.physicalCores}c/${t.cpu.logicalCores}t`, isa, gpus].filter(Boolean).join(' · ');
}

const isStrings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Why a results.json's context.testbed cannot be read (a file edited by hand, or from elsewhere), or undefined. */
export function testbedProblem(t: unknown): string | undefined {
  if (t === undefined) return undefined;
  if (!t || typeof t !== 'object' || Array.isArray(t)) return 'context.testbed is not an object';
  const tb = t as Record<string, unknown>;
  for (const f of ['id', 'hash', 'arch']) if (typeof tb[f] !== 'string') return `context.testbed.${f} must be a string`;
  if (typeof tb.named !== 'boolean') return 'context.testbed.named must be true or false';
  if (typeof tb.memoryGiB !== 'number') return 'context.testbed.memoryGiB must be a number';
  if (!isStrings(tb.gpus)) return 'context.testbed.gpus must be a list of strings';
  const cpu = tb.cpu as Record<string, unknown> | undefined;
  if (!cpu || typeof cpu !== 'object') return 'context.testbed.cpu is not an object';
  for (const f of ['vendor', 'family', 'model', 'stepping', 'name'])
    if (typeof cpu[f] !== 'string') return `context.testbed.cpu.${f} must be a string`;
  for (const f of ['logicalCores', 'physicalCores'])
    if (typeof cpu[f] !== 'number') return `context.testbed.cpu.${f} must be a number`;
  if (!isStrings(cpu.flags)) return 'context.testbed.cpu.flags must be a list of strings';
  const caches = cpu.caches;
  const sizes = caches && typeof caches === 'object' && Object.values(caches).every((v) => typeof v === 'string');
  if (!sizes) return 'context.testbed.cpu.caches must map cache names to sizes (strings)';
  for (const f of ['microcode', 'governor'])
    if (cpu[f] !== undefined && typeof cpu[f] !== 'string') return `context.testbed.cpu.${f} must be a string`;
  if (tb.gpuDriver !== undefined && typeof tb.gpuDriver !== 'string')
    return 'context.testbed.gpuDriver must be a string';
  return undefined;
}
