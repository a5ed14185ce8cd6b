// Times a command-line peer (svm-train, liblinear-train): wall time of each whole run, process start
// and file parsing included, since that is how those tools are used.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { MIN_SAMPLES } from '../bench/suite.js';

/** A peer that takes longer than this per run is reported as errored, not waited for. */
export const PEER_RUN_TIMEOUT_MS = 10 * 60 * 1000;

export function commandAvailable(path: string): boolean {
  return fs.existsSync(path);
}

function runOnce(cmd: string, args: readonly string[]): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(cmd, args, { timeout: PEER_RUN_TIMEOUT_MS, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      const ms = performance.now() - t0;
      if (error) reject(new Error(`${cmd} ${error.killed ? `timed out after ${PEER_RUN_TIMEOUT_MS / 1000} s` : `failed: ${stderr.trim().split('\n').pop() || error.message}`}`));
      else resolve({ ms, stdout });
    });
  });
}

/**
 * Runs the command `warmup` times untimed, then up to `repeats` timed times, fewer (never under
 * MIN_SAMPLES) when the first run says they would exceed `budgetMs`, as our own cells do.
 */
export async function timeCommand(cmd: string, args: readonly string[], repeats: number, warmup: number, budgetMs = Infinity): Promise<{ samplesMs: number[]; stdout: string }> {
  const samplesMs: number[] = [];
  let stdout = '';
  const first = await runOnce(cmd, args);
  stdout = first.stdout;
  const affordable = Math.max(MIN_SAMPLES, Math.min(repeats, Math.floor(budgetMs / Math.max(first.ms, 1e-3))));
  const warm = affordable < repeats ? 0 : Math.max(0, warmup - 1);
  if (warmup === 0) samplesMs.push(first.ms);
  for (let k = 0; k < warm; k++) await runOnce(cmd, args);
  while (samplesMs.length < affordable) {
    const r = await runOnce(cmd, args);
    samplesMs.push(r.ms);
    stdout = r.stdout;
  }
  return { samplesMs, stdout };
}
