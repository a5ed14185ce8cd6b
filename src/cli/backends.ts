// `modelbench backends [--json]`: probes every known backend, each in its own process.
import { BACKENDS } from '../backends/registry.js';
import { lastErrorLine, runWorker } from '../timing/spawn-worker.js';
import { textTable } from '../format.js';
import type { BackendContext } from '../results/context.js';
import { defineCommand, parseCommand } from './options.js';

export async function probeBackend(name: string): Promise<BackendContext> {
  let result: BackendContext | undefined;
  const exit = await runWorker({ kind: 'probe', backend: name }, (m) => {
    if (m.type === 'runtime') result = { name, available: true, runtime: m.runtime };
    if (m.type === 'unavailable') result = { name, available: false, reason: m.reason, fix: m.fix };
  });
  return (
    result ?? {
      name,
      available: false,
      reason:
        `probe process ` +
        `${exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`}` +
        `: ${lastErrorLine(exit.stderr) || 'no message'}`,
      fix: 'run the probe by hand to see the full error',
    }
  );
}

export const BACKENDS_COMMAND = defineCommand({
  name: 'backends',
  summary:
    'Lists every known backend, available or not: version, device (a ' +
    'software renderer is marked), and for an unavailable one the reason ' +
    'and the fix.',
  options: { json: { type: 'boolean', default: false, help: 'print JSON' } },
});

export async function backendsCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(BACKENDS_COMMAND, argv);
  const probes = await Promise.all(BACKENDS.map((b) => probeBackend(b.name)));
  if (values.json) {
    const out = probes.map((p) => ({
      name: p.name,
      description: BACKENDS.find((b) => b.name === p.name)!.description,
      available: p.available,
      version: p.runtime?.version ?? null,
      device: p.runtime?.device ?? null,
      device_kind: p.runtime?.deviceKind ?? null,
      details: p.runtime?.details ?? {},
      reason: p.reason ?? null,
      fix: p.fix ?? null,
    }));
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const rows = probes.map((p) => [
    p.name,
    p.available ? 'yes' : 'no',
    p.runtime?.version ?? '',
    p.runtime ? `${p.runtime.device} [${p.runtime.deviceKind}]` : '',
  ]);
  process.stdout.write(textTable(['backend', 'available', 'version', 'device'], rows) + '\n');
  for (const p of probes.filter((x) => x.available && x.runtime?.details.noGpuReason)) {
    process.stdout.write(
      `\n${p.name}: available, but not on a GPU\n  reason: ` +
        `${p.runtime!.details.noGpuReason}\n  fix:    ` +
        `${p.runtime!.details.noGpuFix}\n`,
    );
  }
  for (const p of probes.filter((x) => !x.available)) {
    process.stdout.write(`\n${p.name}: unavailable\n  reason: ${p.reason}\n  fix:    ${p.fix}\n`);
  }
  return 0;
}
