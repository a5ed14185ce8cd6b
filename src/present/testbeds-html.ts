// The report's list of testbeds: what each machine is (the fields its runs recorded; a pre-testbed run
// shows the few it has), and each backend that was unavailable there, once, with its reason and fix.
import type { LoadedRun } from '../results/load-runs.js';
import type { RunContext } from '../results/context.js';
import { escapeHtml, groupBy, markup, table, type CellContent } from './html-parts.js';
import type { MergedRow } from '../results/merge.js';
import { testbedOf } from '../results/testbed-diff.js';
import type { Testbed } from '../results/testbed.js';

const distinct = (values: readonly (string | undefined)[]) => [
  ...new Set(values.filter((v): v is string => v !== undefined && v !== '')),
];
const lines = (values: readonly string[]) => markup(values.map(escapeHtml).join('<br>'));

/** The GPU adapters and drivers the backends reported (WebGPU, WebGL, tensorflow-gpu), and the browser versions. */
function fromBackends(contexts: readonly RunContext[]): { gpus: string[]; browsers: string[] } {
  const backends = contexts.flatMap((c) => c.backends.filter((b) => b.available && b.runtime));
  const adapter = (d: Readonly<Record<string, string>> | undefined) =>
    d?.adapterDescription !== undefined || d?.renderer !== undefined;
  const gpus = backends.filter((b) => b.runtime!.deviceKind === 'gpu' || adapter(b.runtime!.details));
  return {
    gpus: distinct(gpus.map((b) => `${b.name}: ${b.runtime!.device}`)),
    browsers: distinct(backends.map((b) => b.runtime!.details?.browser)),
  };
}

function hardware(t: Testbed | undefined, contexts: readonly RunContext[]): CellContent[] {
  const { gpus } = fromBackends(contexts);
  if (!t) {
    const cpu = distinct(contexts.map((c) => `${c.cpuModel} x${c.cpuCores}, ${c.memoryGiB} GiB`));
    return [lines(cpu), 'not recorded', 'not recorded', 'not recorded', lines(gpus.length ? gpus : ['not recorded'])];
  }
  const c = t.cpu;
  const cpu = [
    `${c.vendor} ${c.name}`,
    `family ${c.family}, model ${c.model}, stepping ${c.stepping}`,
    `${c.physicalCores} cores, ${c.logicalCores} threads; ${t.memoryGiB} GiB; ${t.arch}`,
  ];
  const caches =
    Object.entries(c.caches)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'not readable';
  const tuning = [`microcode ${c.microcode ?? 'not readable'}`, `governor ${c.governor ?? 'not readable'}`];
  const devices = [
    ...(t.gpus.length ? [`PCI ${t.gpus.join(', ')}`] : []),
    ...(t.gpuDriver ? [t.gpuDriver] : []),
    ...gpus,
  ];
  return [
    lines(cpu),
    c.flags.join(' ') || 'none of note',
    caches,
    lines(tuning),
    lines(devices.length ? devices : ['none']),
  ];
}

function software(contexts: readonly RunContext[]): CellContent {
  const { browsers } = fromBackends(contexts);
  return lines([
    ...distinct(contexts.map((c) => `Node ${c.nodeVersion}, tfjs ${c.tfjsVersion}`)),
    ...browsers,
    ...distinct(contexts.map((c) => c.os)),
  ]);
}

/** A name two machines share (`run --testbed`) whose hardware hashes differ: pooled as asked, but said. */
function nameWarning(contexts: readonly RunContext[]): string {
  const hashes = distinct(contexts.map((c) => c.testbed?.hash));
  return hashes.length > 1
    ? ` <b class="fail">(named for ${hashes.length} different hardware hashes: ${escapeHtml(hashes.join(', '))})</b>`
    : '';
}

function unavailableTable(merged: readonly MergedRow[], runs: readonly LoadedRun[]): string {
  const seen = new Map<string, CellContent[]>();
  const add = (testbed: string, backend: string, reason: string, fix: string) => {
    const key = [testbed, backend, reason, fix].join('\u0000');
    if (!seen.has(key)) seen.set(key, [testbed, backend, reason, fix]);
  };
  for (const run of runs)
    for (const b of run.context.backends)
      if (!b.available) add(testbedOf(run.context), b.name, b.reason ?? '', b.fix ?? '');
  // Rows unavailable for a reason the context does not hold (an implementation's missing runtime).
  const listed = new Set([...seen.values()].map(([t, b]) => `${t}\u0000${b}`));
  for (const m of merged) {
    if (m.row.status === 'unavailable' && !listed.has(`${m.testbed}\u0000${m.row.backend}`))
      add(m.testbed, m.row.backend, m.row.error ?? '', '');
  }
  if (seen.size === 0) return '';
  return (
    `<h3>Unavailable backends, once per testbed</h3>` +
    `${table(['testbed', 'backend', 'reason', 'fix'], [...seen.values()])}`
  );
}

export function testbedsHtml(merged: readonly MergedRow[], runs: readonly LoadedRun[]): string {
  const byTestbed = groupBy(runs, (r) => testbedOf(r.context));
  const rows = [...byTestbed].map(([id, group]) => {
    const contexts = group.map((r) => r.context);
    const t = contexts.find((c) => c.testbed)?.testbed;
    const name = markup(`<b>${escapeHtml(id)}</b>${t ? nameWarning(contexts) : ''}`);
    const hosts = distinct(contexts.map((c) => c.host));
    return [name, lines(hosts), ...hardware(t, contexts), software(contexts), String(group.length)];
  });
  const header = [
    'testbed',
    'hosts',
    'CPU, cores, memory',
    'instruction sets',
    'caches (cpu0)',
    'microcode, governor',
    'GPUs and drivers',
    'software',
  ];
  header.push('runs');
  return `${table(header, rows)}\n${unavailableTable(merged, runs)}`;
}
