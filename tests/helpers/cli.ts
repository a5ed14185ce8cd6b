import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import { REPO } from './data.js';

/** The launcher users run: the TypeScript sources through tsx. */
export const BIN = path.join(REPO, 'bin/modelbench.mjs');
/**
 * What the tests start: the same CLI built from this run's sources by tests/setup/built-cli.ts (a
 * second less per start than tsx), or BIN where that build is not provided.
 */
export const CLI = inject('modelbenchCli') ?? BIN;

/** A child killed at its time limit has no exit code; the note says so, where a bare `null` would not. */
export function modelbench(args: string[], opts: { cwd?: string; timeoutMs?: number; bin?: string; env?: NodeJS.ProcessEnv } = {}): { code: number | null; stdout: string; stderr: string } {
  const timeout = opts.timeoutMs ?? 300_000;
  const r = spawnSync(process.execPath, [opts.bin ?? CLI, ...args], { cwd: opts.cwd ?? REPO, encoding: 'utf8', timeout, env: { ...process.env, CI: '1', ...opts.env } });
  const killed = r.status === null ? `\n(killed by ${r.signal ?? 'a signal'}${r.error ? `: ${r.error.message}` : ''}; the test allows ${timeout / 1000} s)\n` : '';
  return { code: r.status, stdout: r.stdout, stderr: r.stderr + killed };
}

export function modelbenchAsync(args: string[]) {
  return spawn(process.execPath, [CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
}
