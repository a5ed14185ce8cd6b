// Pins a process, every thread of it, to one CPU (Linux: util-linux's taskset). The builds of an
// interleaved comparison are timed on one CPU: on a shared virtual machine each virtual CPU's speed
// changes on its own (measured here: the same wasm call at 0.25 ms on one and 0.32-0.42 ms on the
// other for seconds to minutes), so two processes left to the scheduler are timed on two machines.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

/** "0-3,6,8-9" (the kernel's cpu list format) as CPU numbers; undefined when it is not one. */
export function parseCpuList(list: string): number[] | undefined {
  const cpus: number[] = [];
  for (const part of list.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const [lo, hi] = [Number(m[1]), Number(m[2] ?? m[1])];
    if (hi < lo) return undefined;
    for (let c = lo; c <= hi; c++) cpus.push(c);
  }
  return cpus;
}

/**
 * The CPUs this process may run on (its affinity: a container's cpuset, a `taskset` it was started under); all of them
 * where the kernel does not say.
 */
function allowedCpus(): number[] {
  const status = fs.existsSync('/proc/self/status') ? fs.readFileSync('/proc/self/status', 'utf8') : '';
  const listed = /^Cpus_allowed_list:\s*(.+)$/m.exec(status);
  return (listed && parseCpuList(listed[1])) || Array.from({ length: os.cpus().length }, (_, i) => i);
}

/**
 * The CPU paired timing pins to: the last one this process may use (the parent, mostly idle, keeps
 * the others; a CPU outside its affinity could be refused, or be someone else's); undefined where
 * pinning is moot or impossible.
 */
export function pairingCpu(allowed: readonly number[] = allowedCpus()): { cpu?: number; note: string } {
  if (allowed.length < 2)
    return { note: `one CPU allowed${allowed.length === 1 ? ` (CPU ${allowed[0]})` : ''}: every process runs on it` };
  if (process.platform !== 'linux')
    return { note: `not pinned: pinning needs Linux's taskset (this is ${process.platform})` };
  const probe = spawnSync('taskset', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { note: 'not pinned: taskset not found (install util-linux)' };
  const cpu = Math.max(...allowed);
  return { cpu, note: `pinned to CPU ${cpu}` };
}

/** Pins process `pid` and its threads to `cpu`; the reason when it could not. */
export function pinToCpu(pid: number, cpu: number): string | undefined {
  const r = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { encoding: 'utf8' });
  if (r.error) return r.error.message;
  return r.status === 0 ? undefined : (r.stderr || `taskset exited with ${r.status}`).trim();
}
