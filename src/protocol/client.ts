// Starting an implementation under test, isolated: a shell command, or a JavaScript/TypeScript module
// behind a small host, each as its own process in its own process group, in the sandbox where the
// machine has one (sandbox.ts), with memory capped (RLIMIT_DATA; a module's heap too), a time limit
// per request, and caps on what it may print. A hang, crash, garbage line, overlong output or
// {"error"} becomes an ImplementationError; the process and everything it started are killed.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { BUNDLE, ROOT } from '../layout.js';
import { readCappedLines } from './capped-lines.js';
import { printable } from '../printable.js';
import { type Answer, type Request } from './messages.js';
import { ImplementationError, MAX_ERROR_CHARS } from '../errors.js';
import { jsonDepth, MAX_JSON_DEPTH } from './json-depth.js';
import { bwrapArgs, missingSandbox, SECCOMP_FD, type SandboxMode } from './sandbox.js';
import { JOIN_FAILED, memoryCgroup, type MemoryCgroup } from './memory-cap.js';
import { seccompProgram } from './seccomp.js';
import { commandTargetPaths, moduleTargetPaths } from './visible-paths.js';

export interface ImplClient {
  request(message: Request): Promise<Answer>;
  /** The size in bytes of the last answer line (how much a fetch moved). */
  readonly lastAnswerBytes: number;
  /** The folder for the data files of `load` requests: written by the harness, read-only inside the sandbox. */
  readonly dataDir: string;
  close(): Promise<void>;
}

/** A program the implementation's process runs under, e.g. valgrind's cachegrind, and where it writes. */
export interface Counter {
  /** The counter's command line, before the implementation's own. */
  readonly argv: readonly string[];
  /** Node's flags for a module's host (V8 made deterministic under the counter). */
  readonly nodeFlags: readonly string[];
  /** Bound writable inside the sandbox: the counter's output goes here. */
  readonly outDir: string;
  /** The module host to run under the counter instead of the default (a prebuilt one: no loader thread). */
  readonly moduleHost?: string;
}

/** The counter needs memory of its own besides the implementation's (valgrind's shadow state and JIT). */
const COUNTER_MEMORY_FACTOR = 4;

export interface Limits {
  readonly timeoutMs: number;
  readonly memoryMb: number;
  /** 'bwrap' (the default: an error where it does not work) or 'none', only when the user asked for it. */
  readonly sandbox?: SandboxMode;
  /** Environment variables handed to the implementation (its environment is otherwise cleared). */
  readonly env?: Readonly<Record<string, string>>;
  /** Paths the user made visible inside the sandbox, read-only (--sandbox-bind). */
  readonly binds?: readonly string[];
  /** Runs the process under a counter (valgrind: counted measurement), which writes into its own folder. */
  readonly counter?: Counter;
  /**
   * The deadline of the requests that do no model work (hello, load, ping, fetch); default the lesser of timeoutMs and
   * a minute.
   */
  readonly controlTimeoutMs?: number;
}

/** Requests that move data or say hello: no model work, so a much shorter deadline than a fit's. */
const CONTROL_OPS: ReadonlySet<string> = new Set(['hello', 'load', 'ping', 'fetch']);
const CONTROL_TIMEOUT_MS = 60_000;

/** How long `op` may take to be answered under `limits`. */
export function deadlineMs(op: string, limits: Limits): number {
  return CONTROL_OPS.has(op)
    ? Math.min(limits.timeoutMs, limits.controlTimeoutMs ?? CONTROL_TIMEOUT_MS)
    : limits.timeoutMs;
}

/** An answer is one JSON line: large enough for predictions on 100000 rows, small enough to never exhaust memory. */
export const MAX_ANSWER_BYTES = 256 * 2 ** 20;
/** What an implementation may print besides its answers (to the log), per process, and per line. */
export const MAX_LOG_BYTES = 4 * 2 ** 20;
export const MAX_LOG_LINE_BYTES = 16 * 2 ** 10;
/** The longest wait Node's timers hold (2^31 - 1 ms, about 24.8 days); beyond it they fire at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** File descriptor on which a module's host answers: the module's own writes to fd 1 go to the log. */
const MODULE_ANSWER_FD = 3;

const MODULE_EXTENSIONS = /\.(mjs|cjs|js|mts|ts)$/;

export function isModuleTarget(target: string): boolean {
  return MODULE_EXTENSIONS.test(target) && fs.existsSync(target);
}

function moduleHostCommand(file: string, memoryMb: number, counter?: Counter): string[] {
  const host =
    counter?.moduleHost ??
    (BUNDLE ? path.join(ROOT, 'module-host.cjs') : path.join(ROOT, 'src/protocol/module-host-entry.mjs'));
  const node = [process.execPath, ...(counter?.nodeFlags ?? [])];
  return [...(counter?.argv ?? []), ...node, `--max-old-space-size=${Math.max(16, Math.floor(memoryMb))}`, host, file];
}

/** A word for sh: single-quoted unless it is plain. */
const shellWord = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

interface Launch {
  readonly argv: string[];
  /** What the sandbox must show of the machine besides the system. */
  readonly readOnly: string[];
  /** Where answers arrive: fd 1 for a command, the host's own channel for a module. */
  readonly answerFd: 1 | typeof MODULE_ANSWER_FD;
}

function launchOf(target: string, limits: Limits): Launch {
  const dataMb = limits.counter ? limits.memoryMb * COUNTER_MEMORY_FACTOR : limits.memoryMb;
  const dataKb = String(Math.max(1, Math.floor(dataMb * 1024)));
  if (isModuleTarget(target)) {
    const file = fs.realpathSync(target);
    // sh applies the memory limit, then becomes the host.
    const argv = [
      'sh',
      '-c',
      'ulimit -d "$1" 2>/dev/null; shift; exec "$@"',
      'sh',
      dataKb,
      ...moduleHostCommand(file, limits.memoryMb, limits.counter),
    ];
    return { argv, readOnly: moduleTargetPaths(file), answerFd: MODULE_ANSWER_FD };
  }
  // The target is a command line: sh applies the limit, then becomes it (under the counter, if any).
  const counterWords = (limits.counter?.argv ?? []).map((w) => `${shellWord(w)} `).join('');
  return {
    argv: ['sh', '-c', `ulimit -d ${dataKb} 2>/dev/null; exec ${counterWords}${target}`],
    readOnly: commandTargetPaths(target, process.cwd()),
    answerFd: 1,
  };
}

export function startImplementation(target: string, limits: Limits, log: (line: string) => void): ImplClient {
  if (MODULE_EXTENSIONS.test(target) && !/\s/.test(target) && !fs.existsSync(target)) {
    throw new ImplementationError(
      `${target} does not exist: a module target must be an existing .mjs, ` +
        `.cjs, .js, .mts or .ts file (or give a command line)`,
    );
  }
  // No silent fallback: without bwrap, running unsandboxed must be asked for (sandbox: 'none').
  const mode = limits.sandbox ?? 'bwrap';
  const missing = mode === 'bwrap' ? missingSandbox('pass --no-sandbox') : undefined;
  if (missing) throw new ImplementationError(missing);
  return startProcess(launchOf(target, limits), mode, limits, log);
}

/** The private folder (HOME, TMPDIR) and the data folder of one process, removed when it ends or the harness exits. */
function makeFolders(): { privateDir: string; dataDir: string; remove: () => void } {
  const privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-impl-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-data-'));
  const remove = () => {
    for (const dir of [privateDir, dataDir]) fs.rmSync(dir, { recursive: true, force: true });
    LIVE_FOLDERS.delete(remove);
  };
  LIVE_FOLDERS.add(remove);
  return { privateDir, dataDir, remove };
}

const LIVE_FOLDERS = new Set<() => void>();
const removeLive = () => {
  for (const remove of [...LIVE_FOLDERS]) remove();
};
process.once('exit', removeLive);
// Ctrl-C and SIGTERM end a process without 'exit': the folders go first, then the signal does what it
// would have done (unless someone else handles it, who then exits through 'exit').
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  const onSignal = () => {
    removeLive();
    process.off(signal, onSignal);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on(signal, onSignal);
}

function spawnSandboxed(
  launch: Launch,
  mode: SandboxMode,
  limits: Limits,
  folders: { privateDir: string; dataDir: string },
  cgroup?: MemoryCgroup,
): ChildProcess {
  const { privateDir, dataDir } = folders;
  const env = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: privateDir,
    TMPDIR: privateDir,
    LANG: 'C.UTF-8',
    ...limits.env,
  };
  const readOnly = [...launch.readOnly, dataDir, ...(limits.binds ?? []).map((b) => path.resolve(b))];
  const writable = limits.counter ? [limits.counter.outDir] : [];
  const argv =
    mode === 'bwrap'
      ? ['bwrap', ...bwrapArgs({ privateDir, readOnly, cwd: process.cwd(), env, writable }), ...launch.argv]
      : launch.argv;
  const [file, ...args] = cgroup ? cgroup.wrap(argv) : argv;
  const stdio: ('pipe' | 'ignore')[] = ['pipe', 'pipe', 'pipe', launch.answerFd === 1 ? 'ignore' : 'pipe'];
  const program = mode === 'bwrap' ? seccompProgram() : undefined;
  if (program) stdio[SECCOMP_FD] = 'pipe';
  // detached: a process group of its own, so that a kill reaches everything it started.
  const child = spawn(file, args, { stdio, env, detached: true });
  if (program) {
    const filter = child.stdio[SECCOMP_FD] as Writable;
    filter.on('error', () => {});
    filter.end(program);
  }
  return child;
}

/** The process's answer lines in order, and, once it has ended or been stopped, why. */
class AnswerLines {
  private readonly waiting: ((line: string | undefined) => void)[] = [];
  private readonly buffered: string[] = [];
  exited: string | undefined;

  constructor(private readonly killGroup: () => void) {}

  push(line: string): void {
    if (this.waiting.length > 0) this.waiting.shift()!(line);
    else this.buffered.push(line);
  }

  /** The process is gone (or stopped): every waiting request gets no line. */
  end(why: string): void {
    this.exited ??= why;
    while (this.waiting.length > 0) this.waiting.shift()!(undefined);
  }

  /** Stops the process for `why`. */
  fail(why: string): void {
    this.exited ??= why;
    this.killGroup();
    this.end(why);
  }

  next(): Promise<string | undefined> {
    return new Promise((resolve) =>
      this.buffered.length > 0
        ? resolve(this.buffered.shift())
        : this.exited
          ? resolve(undefined)
          : this.waiting.push(resolve),
    );
  }
}

/** Answers from the answer channel (capped per line); anything else it prints goes to the log, capped too. */
function readOutput(child: ChildProcess, launch: Launch, lines: AnswerLines, log: (line: string) => void): void {
  const channel = launch.answerFd === 1 ? 'standard output' : 'answer channel';
  readCappedLines(child.stdio[launch.answerFd] as Readable, MAX_ANSWER_BYTES, Number.POSITIVE_INFINITY, {
    line: (l) => lines.push(l),
    overflow: (what) =>
      lines.fail(`printed ${what} on its ${channel} (an answer is one JSON line; the process was stopped)`),
  });
  const logStreams = launch.answerFd === 1 ? [child.stderr!] : [child.stdout!, child.stderr!];
  for (const stream of logStreams) {
    readCappedLines(stream, MAX_LOG_LINE_BYTES, MAX_LOG_BYTES, {
      line: (l) => log(printable(l)),
      overflow: (what) =>
        log(`[modelbench: the implementation printed ${what} besides its answers; the rest is not shown]`),
    });
  }
}

/** One request at a time: written, answered within its deadline, parsed; `close` asks the process to leave. */
function clientOf(child: ChildProcess, lines: AnswerLines, limits: Limits, dataDir: string, killGroup: () => void) {
  const client = {
    lastAnswerBytes: 0,
    dataDir,
    async request(message: Request): Promise<Answer> {
      if (lines.exited) throw new ImplementationError(`the process ${lines.exited}`);
      child.stdin!.write(JSON.stringify(message) + '\n');
      const deadline = deadlineMs(message.op, limits);
      const line = await withDeadline(lines.next(), deadline);
      if (line === TIMED_OUT) {
        lines.fail('was stopped after a timeout');
        throw new ImplementationError(
          `no answer to '${message.op}' within ${deadline / 1000} s (the process was stopped)`,
        );
      }
      if (line === undefined)
        throw new ImplementationError(
          `the process ${lines.exited ?? 'closed its output'} before answering '${message.op}'`,
        );
      client.lastAnswerBytes = Buffer.byteLength(line);
      return answerOf(parseAnswer(line, message.op), message.op);
    },
    async close() {
      if (lines.exited) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin!.write(JSON.stringify({ op: 'shutdown' }) + '\n');
      child.stdin!.end();
      const t = setTimeout(killGroup, 2000);
      await done;
      clearTimeout(t);
    },
  };
  return client;
}

function startProcess(launch: Launch, mode: SandboxMode, limits: Limits, log: (line: string) => void): ImplClient {
  const folders = makeFolders();
  const cgroup = memoryCgroup(limits.memoryMb);
  const child = spawnSandboxed(launch, mode, limits, folders, cgroup);
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const lines = new AnswerLines(killGroup);
  readOutput(child, launch, lines, log);
  child.on('exit', (code, signal) => {
    const why = exitReason(code, signal, limits.memoryMb, cgroup);
    killGroup();
    folders.remove();
    cgroup?.remove();
    lines.end(why);
  });
  child.on('error', (e) => lines.fail(`could not start: ${e.message}`));
  child.stdin!.on('error', () => {});
  return clientOf(child, lines, limits, folders.dataDir, killGroup);
}

/** How an implementation's process ended, in words, with the memory limit named where it was the cause. */
function exitReason(
  code: number | null,
  signal: NodeJS.Signals | null,
  memoryMb: number,
  cgroup?: MemoryCgroup,
): string {
  if (code === JOIN_FAILED && cgroup) return `could not join its memory cgroup (${cgroup.kind}), so it was not run`;
  // bwrap reports its child's SIGKILL as exit code 137.
  if ((signal === 'SIGKILL' || code === 137) && cgroup?.oomKilled())
    return (
      `was killed by the kernel: its memory (shared memory, /dev/shm and ` +
      `children included) passed the ${memoryMb} MB limit (${cgroup.kind}); ` +
      `raise --memory`
    );
  // V8 aborts (134, SIGABRT) or traps (133, SIGTRAP) when the heap or the data limit runs out.
  const memory =
    code === 134 || code === 133 || signal === 'SIGABRT' || signal === 'SIGTRAP'
      ? ` (aborted: out of memory under the ${memoryMb} MB limit? raise --memory)`
      : '';
  return (signal ? `was killed by ${signal}` : `exited with code ${code}`) + memory;
}

const TIMED_OUT = Symbol('timed out');

/** The promise's value, or TIMED_OUT after `ms` (held to what Node's timers can wait). */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>(
    (resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), Math.min(Math.max(ms, 1), MAX_TIMEOUT_MS))),
  );
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** An answer line as JSON, its nesting bounded before parsing (a deep line must not exhaust the stack). */
function parseAnswer(line: string, op: string): unknown {
  const depth = jsonDepth(line);
  if (depth > MAX_JSON_DEPTH)
    throw new ImplementationError(
      `answer to '${op}' nests ${depth > 1e6 ? 'more than a million' : depth}` +
        ` levels deep; at most ${MAX_JSON_DEPTH} are read`,
    );
  try {
    return JSON.parse(line);
  } catch {
    throw new ImplementationError(`answer to '${op}' is not JSON: ${line.slice(0, 120)}`);
  }
}

function answerOf(raw: unknown, op: string): Answer {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ImplementationError(`answer to '${op}' is not a JSON object: ${JSON.stringify(raw).slice(0, 120)}`);
  const answer = raw as Answer;
  if (typeof answer.error === 'string')
    throw new ImplementationError(`'${op}' answered error: ${printable(answer.error, MAX_ERROR_CHARS)}`);
  return answer;
}
