// Times a command-line peer (svm-train, liblinear-train): wall time of each whole run, process start
// and file parsing included, since that is how those tools are used.
import { execFile } from 'node:child_process';
import fs from 'node:fs';

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

export async function timeCommand(cmd: string, args: readonly string[], repeats: number, warmup: number): Promise<{ samplesMs: number[]; stdout: string }> {
  const samplesMs: number[] = [];
  let stdout = '';
  for (let k = 0; k < warmup + repeats; k++) {
    const r = await runOnce(cmd, args);
    if (k >= warmup) samplesMs.push(r.ms);
    stdout = r.stdout;
  }
  return { samplesMs, stdout };
}
