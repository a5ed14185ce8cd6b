import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO } from './data.js';

export const BIN = path.join(REPO, 'bin/modelbench.mjs');

/** A child killed at its time limit has no exit code; the note says so, where a bare `null` would not. */
export function modelbench(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): { code: number | null; stdout: string; stderr: string } {
  const timeout = opts.timeoutMs ?? 300_000;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO, encoding: 'utf8', timeout, env: { ...process.env, CI: '1' } });
  const killed = r.status === null ? `\n(killed by ${r.signal ?? 'a signal'}${r.error ? `: ${r.error.message}` : ''}; the test allows ${timeout / 1000} s)\n` : '';
  return { code: r.status, stdout: r.stdout, stderr: r.stderr + killed };
}

export function modelbenchAsync(args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
}
