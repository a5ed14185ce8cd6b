// Starting an implementation under test, isolated: a shell command as a child process (memory capped
// with ulimit -v), or a JavaScript/TypeScript module in a worker thread (heap capped). Every request
// has a time limit; a hang, crash, garbage line or {"error"} becomes an ImplementationError.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Worker } from 'node:worker_threads';
import { BUNDLE, ROOT } from '../layout.js';
import { ImplementationError, type Answer, type Request } from './protocol.js';

export interface ImplClient {
  request(message: Request): Promise<Answer>;
  close(): Promise<void>;
}

export interface Limits {
  readonly timeoutMs: number;
  readonly memoryMb: number;
}

const MODULE_EXTENSIONS = /\.(mjs|cjs|js|mts|ts)$/;

export function isModuleTarget(target: string): boolean {
  return MODULE_EXTENSIONS.test(target) && fs.existsSync(target);
}

export function startImplementation(target: string, limits: Limits, log: (line: string) => void): ImplClient {
  return isModuleTarget(target) ? startModule(path.resolve(target), limits, log) : startCommand(target, limits, log);
}

function answerOf(raw: unknown, op: string): Answer {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ImplementationError(`answer to '${op}' is not a JSON object: ${JSON.stringify(raw).slice(0, 120)}`);
  const answer = raw as Answer;
  if (typeof answer.error === 'string') throw new ImplementationError(`'${op}' answered error: ${answer.error}`);
  return answer;
}

function startCommand(command: string, limits: Limits, log: (line: string) => void): ImplClient {
  const child: ChildProcess = spawn('sh', ['-c', `ulimit -v ${limits.memoryMb * 1024} 2>/dev/null; exec ${command}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = readline.createInterface({ input: child.stdout! });
  readline.createInterface({ input: child.stderr! }).on('line', (l) => log(l));
  const waiting: ((line: string | undefined) => void)[] = [];
  const buffered: string[] = [];
  let exited: string | undefined;
  lines.on('line', (l) => (waiting.length > 0 ? waiting.shift()!(l) : buffered.push(l)));
  child.on('exit', (code, signal) => {
    exited = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    while (waiting.length > 0) waiting.shift()!(undefined);
  });
  child.on('error', (e) => {
    exited = `could not start: ${e.message}`;
    while (waiting.length > 0) waiting.shift()!(undefined);
  });
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
        child.kill('SIGKILL');
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
      if (!exited) {
        child.stdin!.write(JSON.stringify({ op: 'shutdown' }) + '\n');
        const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        const t = setTimeout(() => child.kill('SIGKILL'), 2000);
        await done;
        clearTimeout(t);
      }
    },
  };
}

function moduleHost(): { file: string; execArgv: string[] } {
  if (BUNDLE) return { file: path.join(ROOT, 'module-host.cjs'), execArgv: [] };
  return { file: path.join(ROOT, 'src/validate/module-host-entry.mjs'), execArgv: [] };
}

function startModule(file: string, limits: Limits, log: (line: string) => void): ImplClient {
  const host = moduleHost();
  const worker = new Worker(host.file, { workerData: { target: file }, execArgv: host.execArgv, resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb }, stdout: true, stderr: true });
  // What the module prints goes to the log, as a command's stderr does, never into our report.
  for (const stream of [worker.stdout, worker.stderr]) readline.createInterface({ input: stream }).on('line', (l) => log(l));
  let dead: string | undefined;
  const pending: ((m: unknown) => void)[] = [];
  worker.on('message', (m) => pending.shift()?.(m));
  worker.on('error', (e) => {
    dead = `the worker failed: ${e.message}`;
    while (pending.length > 0) pending.shift()!(undefined);
  });
  worker.on('exit', (code) => {
    dead ??= `the worker exited with code ${code}`;
    while (pending.length > 0) pending.shift()!(undefined);
  });
  return {
    async request(message) {
      if (dead) throw new ImplementationError(dead);
      const reply = new Promise<unknown>((resolve) => pending.push(resolve));
      worker.postMessage(message);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limits.timeoutMs)));
      const answer = await Promise.race([reply, timeout]);
      clearTimeout(timer);
      if (answer === 'timeout') {
        dead = 'stopped after a timeout';
        await worker.terminate();
        throw new ImplementationError(`no answer to '${message.op}' within ${limits.timeoutMs / 1000} s (the worker was stopped)`);
      }
      if (answer === undefined) throw new ImplementationError(`${dead ?? 'the worker stopped'} before answering '${message.op}'`);
      return answerOf(answer, message.op);
    },
    async close() {
      if (!dead) await worker.terminate();
    },
  };
}
