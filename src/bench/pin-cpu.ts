// Pins a process, every thread of it, to one CPU (Linux: util-linux's taskset). The builds of an
// interleaved comparison are timed on one CPU: on a shared virtual machine each virtual CPU's speed
// changes on its own (measured here: the same wasm call at 0.25 ms on one and 0.32-0.42 ms on the
// other for seconds to minutes), so two processes left to the scheduler are timed on two machines.
import { spawnSync } from 'node:child_process';
import os from 'node:os';

/** The CPU paired timing pins to: the last one (the parent, mostly idle, keeps the others); undefined where pinning is moot or impossible. */
export function pairingCpu(): { cpu?: number; note: string } {
  const cpus = os.cpus().length;
  if (cpus < 2) return { note: 'one CPU: every process runs on it' };
  if (process.platform !== 'linux') return { note: `not pinned: pinning needs Linux's taskset (this is ${process.platform})` };
  const probe = spawnSync('taskset', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { note: 'not pinned: taskset not found (install util-linux)' };
  return { cpu: cpus - 1, note: `pinned to CPU ${cpus - 1}` };
}

/** Pins process `pid` and its threads to `cpu`; the reason when it could not. */
export function pinToCpu(pid: number, cpu: number): string | undefined {
  const r = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { encoding: 'utf8' });
  if (r.error) return r.error.message;
  return r.status === 0 ? undefined : (r.stderr || `taskset exited with ${r.status}`).trim();
}
