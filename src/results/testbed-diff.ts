// Which testbed a run is on, and what two sides' testbeds differ in: `compare` refuses a speed verdict
// across testbeds unless asked (the change it measured would be the machines'), and says why.
import type { RunContext } from './context.js';
import { PRE_TESTBED, type Testbed } from './testbed.js';

/** How a machine is named in reports: its host and processor (all that runs before testbeds recorded). */
export function machineLabel(c: RunContext): string {
  return `${c.host} (${c.cpuModel} x${c.cpuCores})`;
}

/** A run's testbed id; a pre-testbed run is "unknown (pre-testbed run): host (cpu xN)", apart from every testbed. */
export function testbedOf(c: RunContext): string {
  return c.testbed ? c.testbed.id : `${PRE_TESTBED}: ${machineLabel(c)}`;
}

const caches = (t: Testbed) =>
  Object.entries(t.cpu.caches)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'not readable';

/** The fields compare lists when they differ; memory, OS and versions are the context's own (gate.ts lists them). */
const FIELDS: readonly (readonly [string, (t: Testbed) => string])[] = [
  ['testbed', (t) => t.id],
  ['testbed hardware hash', (t) => t.hash],
  [
    'CPU',
    (t) => `${t.cpu.vendor} ${t.cpu.name} (family ${t.cpu.family}, model ${t.cpu.model}, stepping ${t.cpu.stepping})`,
  ],
  ['microcode', (t) => t.cpu.microcode ?? 'not readable'],
  ['instruction sets', (t) => t.cpu.flags.join(' ') || 'none of note'],
  ['caches', caches],
  ['cores', (t) => `${t.cpu.physicalCores} physical, ${t.cpu.logicalCores} logical`],
  ['frequency governor', (t) => t.cpu.governor ?? 'not readable'],
  ['GPUs (PCI ids)', (t) => t.gpus.join(', ') || 'none'],
  ['GPU driver', (t) => t.gpuDriver ?? 'none'],
];

export interface TestbedDifference {
  readonly field: string;
  readonly baseline: string;
  readonly candidate: string;
}

const joined = (values: readonly string[]) => [...new Set(values)].join(' | ');

/**
 * Field by field, where the two sides' testbeds differ; a side with pre-testbed runs differs in the testbed line only.
 */
export function testbedDifferences(base: readonly RunContext[], cand: readonly RunContext[]): TestbedDifference[] {
  const recorded = (ctxs: readonly RunContext[]) => ctxs.every((c) => c.testbed !== undefined);
  if (!recorded(base) || !recorded(cand)) {
    const b = joined(base.map(testbedOf));
    const c = joined(cand.map(testbedOf));
    return b === c ? [] : [{ field: 'testbed', baseline: b, candidate: c }];
  }
  const out: TestbedDifference[] = [];
  for (const [field, get] of FIELDS) {
    const b = joined(base.map((x) => get(x.testbed!)));
    const c = joined(cand.map((x) => get(x.testbed!)));
    if (b !== c) out.push({ field, baseline: b, candidate: c });
  }
  return out;
}

/** The instruction sets only one side has: the difference a reader acts on (AVX-512 in issue 34). */
function flagDifference(base: readonly RunContext[], cand: readonly RunContext[]): string | undefined {
  const flags = (ctxs: readonly RunContext[]) => new Set(ctxs.flatMap((c) => c.testbed!.cpu.flags));
  const b = flags(base);
  const c = flags(cand);
  const onlyB = [...b].filter((f) => !c.has(f));
  const onlyC = [...c].filter((f) => !b.has(f));
  const parts = [
    onlyB.length ? `only BASELINE has ${onlyB.join(' ')}` : '',
    onlyC.length ? `only CANDIDATE has ${onlyC.join(' ')}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `instruction sets (${parts.join('; ')})` : undefined;
}

/**
 * Why compare must not give a speed verdict: both sides recorded their testbeds and they differ. A side
 * of pre-testbed runs cannot be told apart, so it is compared (its testbed line in the environment says so).
 */
export function crossTestbedProblem(base: readonly RunContext[], cand: readonly RunContext[]): string | undefined {
  if (![...base, ...cand].every((c) => c.testbed !== undefined)) return undefined;
  const b = joined(base.map(testbedOf));
  const c = joined(cand.map(testbedOf));
  if (b === c) return undefined;
  const skip = new Set(['testbed', 'testbed hardware hash', 'instruction sets']);
  const fields = testbedDifferences(base, cand)
    .filter((d) => !skip.has(d.field))
    .map((d) => d.field);
  const what = [flagDifference(base, cand), ...fields].filter(Boolean).join(', ') || 'their names only';
  return (
    `BASELINE ran on testbed ${b} and CANDIDATE on testbed ${c} (they ` +
    `differ in: ${what}); a speed verdict across testbeds measures the ` +
    `machines, ` +
    'not the change: compare runs of one testbed, or pass --across-testbeds to judge anyway'
  );
}
