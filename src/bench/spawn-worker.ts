// Starts a backend's child process and hands its messages to the caller.
import { fork } from 'node:child_process';
import path from 'node:path';
import { backendByName } from '../backends/registry.js';
import { BUNDLE, ROOT } from '../layout.js';
import type { ChildMessage, ParentMessage } from './protocol.js';

/** Where a build's worker lives: this checkout's (or the bundle's), or a baseline checkout's for interleaved
 *  runs; a browser backend's is the browser host, which drives a Chromium page instead of running the cells. */
export function workerOf(root: string | undefined, backend?: string): string {
  const [file, bundled] = backendByName(backend ?? '')?.host === 'browser' ? ['src/browser/host.ts', 'browser-host.cjs'] : ['src/bench/worker.ts', 'worker.cjs'];
  if (root) return path.join(root, file);
  return BUNDLE ? path.join(ROOT, bundled) : path.join(ROOT, file);
}

/** The TypeScript loader, by absolute URL so the child finds it from any working directory;
 *  the bundle's worker is plain JavaScript and needs none. */
function loaderArgs(root: string | undefined): string[] {
  return BUNDLE && !root ? [] : ['--import', import.meta.resolve('tsx')];
}

export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** The process ran past its hard limit and was killed. */
  readonly timedOut?: boolean;
}

export function runWorker(
  message: ParentMessage,
  onMessage: (m: ChildMessage) => void,
  build: { root?: string; env?: NodeJS.ProcessEnv } = {},
  limitMs = Number.POSITIVE_INFINITY,
): Promise<WorkerExit> {
  return new Promise((resolve) => {
    const child = fork(workerOf(build.root, message.backend), [], {
      execArgv: loaderArgs(build.root),
      env: build.env ?? process.env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('message', (m) => onMessage(m as ChildMessage));
    let timedOut = false;
    const limit = Number.isFinite(limitMs)
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, limitMs)
      : undefined;
    // Ctrl-C or a CI timeout on the parent takes the child with it.
    const forward = (signal: NodeJS.Signals) => () => {
      child.kill('SIGKILL');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve({ code, signal, stderr, timedOut });
    });
    child.on('error', (e) => resolve({ code: null, signal: null, stderr: String(e) }));
    child.send(message);
  });
}

/** Dawn prints its adapter limits to stderr; keep what looks like a real error. */
export function lastErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('Warning:'));
  return lines.slice(-3).join(' | ');
}
