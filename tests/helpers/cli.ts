import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO } from './data.js';

export const BIN = path.join(REPO, 'bin/modelbench.mjs');

export function modelbench(args: string[], opts: { cwd?: string } = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO, encoding: 'utf8', timeout: 300_000, env: { ...process.env, CI: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function modelbenchAsync(args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
}
