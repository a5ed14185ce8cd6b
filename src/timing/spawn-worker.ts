// Starts a backend's child process and hands its messages to the caller.
import { fork } from 'node:child_process';
import { backendByName } from '../backends/registry.js';
import type { ChildMessage, ParentMessage, SessionMessage } from './messages.js';
import { processEntry } from './worker-build.js';

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
  return startWorker(message, onMessage, build, limitMs).then((w) => w.exit);
}

/** A started backend process: its pid, a way to send it a paired session's later messages, and its exit. */
export interface StartedWorker {
  readonly pid: number | undefined;
  send(message: SessionMessage): void;
  readonly exit: Promise<WorkerExit>;
}

export async function startWorker(
  message: ParentMessage,
  onMessage: (m: ChildMessage) => void,
  build: { root?: string; env?: NodeJS.ProcessEnv } = {},
  limitMs = Number.POSITIVE_INFINITY,
  /** Node/V8 options for the process, e.g. --single-threaded. */
  nodeOptions: readonly string[] = [],
  /** A program that runs Node (valgrind, counting it), with its own arguments before Node's. */
  launcher?: { readonly program: string; readonly args: readonly string[] },
): Promise<StartedWorker> {
  const name = backendByName(message.backend)?.host === 'browser' ? 'browser-host' : 'worker';
  const entry = await processEntry(name, build.root);
  const node = [...nodeOptions, ...entry.execArgv];
  const child = fork(entry.file, [], {
    ...(launcher
      ? { execPath: launcher.program, execArgv: [...launcher.args, process.execPath, ...node] }
      : { execArgv: node }),
    env: build.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const exit = new Promise<WorkerExit>((resolve) => {
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
  });
  child.send(message);
  return {
    pid: child.pid,
    send: (m) => {
      // A process that has died is answered by its exit, which the caller awaits.
      if (child.connected) child.send(m);
    },
    exit,
  };
}

/** Dawn prints its adapter limits to stderr; keep what looks like a real error. */
export function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('Warning:'));
  return lines.slice(-3).join(' | ');
}
