// Starting an implementation under test, isolated: a shell command, or a JavaScript/TypeScript module
// behind a small host, each as its own process in its own process group, in the sandbox where the
// machine has one (sandbox.ts), with memory capped (RLIMIT_DATA; a module's heap too), a time limit
// per request, and caps on what it may print. A hang, crash, garbage line, overlong output or
// {"error"} becomes an ImplementationError; the process and everything it started are killed.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE, ROOT } from '../layout.js';
import { printable, readCappedLines } from './capped-lines.js';
import { ImplementationError, type Answer, type Request } from './protocol.js';
import { bwrapArgs, missingSandbox, type SandboxMode } from './sandbox.js';

export interface ImplClient {
  request(message: Request): Promise<Answer>;
  close(): Promise<void>;
}

export interface Limits {
  readonly timeoutMs: number;
  readonly memoryMb: number;
  /** 'bwrap' (the default: an error where it does not work) or 'none', only when the user asked for it. */
  readonly sandbox?: SandboxMode;
  /** Environment variables handed to the implementation (its environment is otherwise cleared). */
  readonly env?: Readonly<Record<string, string>>;
}

/** An answer is one JSON line: large enough for predictions on 100000 rows, small enough to never exhaust memory. */
export const MAX_ANSWER_BYTES = 256 * 2 ** 20;
/** What an implementation may print besides its answers (to the log), per process, and per line. */
export const MAX_LOG_BYTES = 4 * 2 ** 20;
export const MAX_LOG_LINE_BYTES = 16 * 2 ** 10;

const MODULE_EXTENSIONS = /\.(mjs|cjs|js|mts|ts)$/;

export function isModuleTarget(target: string): boolean {
  return MODULE_EXTENSIONS.test(target) && fs.existsSync(target);
}

function moduleHostCommand(file: string, memoryMb: number): string[] {
  const host = BUNDLE ? path.join(ROOT, 'module-host.cjs') : path.join(ROOT, 'src/validate/module-host-entry.mjs');
  return [process.execPath, `--max-old-space-size=${memoryMb}`, host, file];
}

export function startImplementation(target: string, limits: Limits, log: (line: string) => void): ImplClient {
  // sh applies the memory limit, then becomes the implementation (the target is a command line).
  const argv = isModuleTarget(target) ? ['sh', '-c', 'ulimit -d "$1" 2>/dev/null; shift; exec "$@"', 'sh', String(limits.memoryMb * 1024), ...moduleHostCommand(path.resolve(target), limits.memoryMb)] : ['sh', '-c', `ulimit -d ${limits.memoryMb * 1024} 2>/dev/null; exec ${target}`];
  return startProcess(argv, limits, log);
}

function startProcess(argv: string[], limits: Limits, log: (line: string) => void): ImplClient {
  // No silent fallback: without bwrap, running unsandboxed must be asked for (sandbox: 'none').
  const mode = limits.sandbox ?? 'bwrap';
  const missing = mode === 'bwrap' ? missingSandbox('pass --no-sandbox') : undefined;
  if (missing) throw new ImplementationError(missing);
  const privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-impl-'));
  const env = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: privateDir, TMPDIR: privateDir, LANG: 'C.UTF-8', ...limits.env };
  const [file, ...args] = mode === 'bwrap' ? ['bwrap', ...bwrapArgs(privateDir, process.cwd(), env), ...argv] : argv;
  // detached: a process group of its own, so that a kill reaches everything it started.
  const child: ChildProcess = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env, detached: true });
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const waiting: ((line: string | undefined) => void)[] = [];
  const buffered: string[] = [];
  let exited: string | undefined;
  const fail = (why: string) => {
    exited ??= why;
    killGroup();
    while (waiting.length > 0) waiting.shift()!(undefined);
  };
  readCappedLines(child.stdout!, MAX_ANSWER_BYTES, Number.POSITIVE_INFINITY, {
    line: (l) => (waiting.length > 0 ? waiting.shift()!(l) : buffered.push(l)),
    overflow: (what) => fail(`printed ${what} on its standard output (an answer is one JSON line; the process was stopped)`),
  });
  readCappedLines(child.stderr!, MAX_LOG_LINE_BYTES, MAX_LOG_BYTES, {
    line: (l) => log(printable(l)),
    overflow: (what) => log(`[modelbench: the implementation printed ${what} on its standard error; the rest is not shown]`),
  });
  child.on('exit', (code, signal) => {
    // V8 aborts (134, SIGABRT) or traps (133, SIGTRAP) when the heap or the data limit runs out.
    const memory = code === 134 || code === 133 || signal === 'SIGABRT' || signal === 'SIGTRAP' ? ` (aborted: out of memory under the ${limits.memoryMb} MB limit? raise --memory)` : '';
    exited ??= (signal ? `was killed by ${signal}` : `exited with code ${code}`) + memory;
    killGroup();
    fs.rmSync(privateDir, { recursive: true, force: true });
    while (waiting.length > 0) waiting.shift()!(undefined);
  });
  child.on('error', (e) => fail(`could not start: ${e.message}`));
  child.stdin!.on('error', () => {});
  const nextLine = () => new Promise<string | undefined>((resolve) => (buffered.length > 0 ? resolve(buffered.shift()) : exited ? resolve(undefined) : waiting.push(resolve)));
  return {
    async request(message) {
      if (exited) throw new ImplementationError(`the process ${exited}`);
      child.stdin!.write(JSON.stringify(message) + '\n');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limits.timeoutMs)));
      const line = await Promise.race([nextLine(), timeout]);
      clearTimeout(timer);
      if (line === 'timeout') {
        fail('was stopped after a timeout');
        throw new ImplementationError(`no answer to '${message.op}' within ${limits.timeoutMs / 1000} s (the process was stopped)`);
      }
      if (line === undefined) throw new ImplementationError(`the process ${exited ?? 'closed its output'} before answering '${message.op}'`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new ImplementationError(`answer to '${message.op}' is not JSON: ${line.slice(0, 120)}`);
      }
      return answerOf(parsed, message.op);
    },
    async close() {
      if (exited) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin!.write(JSON.stringify({ op: 'shutdown' }) + '\n');
      child.stdin!.end();
      const t = setTimeout(killGroup, 2000);
      await done;
      clearTimeout(t);
    },
  };
}

function answerOf(raw: unknown, op: string): Answer {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ImplementationError(`answer to '${op}' is not a JSON object: ${JSON.stringify(raw).slice(0, 120)}`);
  const answer = raw as Answer;
  if (typeof answer.error === 'string') throw new ImplementationError(`'${op}' answered error: ${answer.error}`);
  return answer;
}
