// The process that hosts a JavaScript/TypeScript implementation module: it reads one JSON request per
// line on stdin and answers each on stdout by calling the module's export named after the op (hello,
// fit, predict_proba, decision_function, encode, ...). Whatever the module itself prints goes to
// the harness's log: answers go out on a channel of their own (fd 3), which the module is never handed,
// so nothing it prints — through console, process.stdout or a raw write to fd 1 — can be read as one.
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { resultDigest } from './digest.js';

const target = process.argv[2];
const channel = new net.Socket({ fd: 3, readable: false, writable: true });
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const reply = (value: unknown) => channel.write(JSON.stringify(value ?? null) + '\n');
/** The protocol the host serves a module at when the module does not say: results kept with their digest. */
const HOST_PROTOCOL = 3;

/**
 * Protocol 3 for every module: the host answers `load`, `ping` and `fetch` itself and hands the module its
 * loaded data as lists of rows (a 1-D shape as a list of numbers), as if they had come inline, so a
 * module written for protocol 1 can be timed unchanged.
 */
const loaded = new Map<string, unknown>();
/** The last answer to a request that asked for "result": "handle", until fetched. */
let kept: { handle: string; answer: unknown } | undefined;
let keptCount = 0;

function readFloat64File(file: string, shape: readonly number[]): unknown {
  const raw = fs.readFileSync(file);
  const expected = shape.reduce((a, b) => a * b, 1);
  if (raw.byteLength !== expected * 8)
    throw new Error(
      `${file} has ${raw.byteLength} bytes, a float64 array of shape [${shape.join(', ')}] has ${expected * 8}`,
    );
  const values = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  if (shape.length === 1) return Array.from(values);
  const cols = shape[1];
  return Array.from({ length: shape[0] }, (_, i) => Array.from(values.subarray(i * cols, (i + 1) * cols)));
}

function load(message: Record<string, unknown>): unknown {
  const shape = message.shape;
  if (
    typeof message.path !== 'string' ||
    !Array.isArray(shape) ||
    shape.length < 1 ||
    shape.length > 2 ||
    !shape.every((n) => Number.isInteger(n) && n >= 0)
  ) {
    return { error: 'load needs {"path": str, "shape": [rows] or [rows, cols], "dtype": "float64"}' };
  }
  if (message.dtype !== undefined && message.dtype !== 'float64')
    return { error: `load: dtype ${JSON.stringify(message.dtype)} is not float64` };
  const handle = `h${loaded.size + 1}`;
  loaded.set(handle, readFloat64File(message.path, shape as number[]));
  return { handle };
}

/** The request with every {"handle": h} field replaced by what was loaded under h. */
function resolveHandles(message: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...message };
  for (const [k, v] of Object.entries(message)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { handle?: unknown }).handle === 'string') {
      const h = (v as { handle: string }).handle;
      if (!loaded.has(h)) throw new Error(`'${k}' names handle ${JSON.stringify(h)}, which no load returned`);
      out[k] = loaded.get(h);
    }
  }
  return out;
}

/** The module's exports as one table of ops, or why it could not be loaded (and the package it lacks). */
interface LoadedModule {
  readonly api?: Record<string, unknown>;
  readonly loadError?: string;
  readonly missingPackage?: string;
}

async function loadModule(): Promise<LoadedModule> {
  try {
    const mod = (await import(pathToFileURL(target).href)) as Record<string, unknown>;
    const api = mod.default && typeof mod.default === 'object' ? { ...(mod.default as object), ...mod } : mod;
    return { api: api as Record<string, unknown> };
  } catch (e) {
    return {
      loadError: `the module ${target} could not be loaded: ${e instanceof Error ? e.message : String(e)}`,
      missingPackage: /Cannot find (?:package|module) '([^']+)'/.exec(String(e))?.[1],
    };
  }
}

/** A library the module wraps is not installed: unavailable here, with the fix, not broken. */
function unavailableHello(missingPackage: string) {
  return {
    name: target.split('/').pop(),
    version: '',
    models: [],
    protocol: 2,
    unavailable: `it imports '${missingPackage}', which is not installed`,
    fix: `npm install ${missingPackage}`,
  };
}

/** The op's own answer, kept under a handle with its digest when the request asked for that (protocol 3). */
async function callOp(fn: (m: unknown) => unknown, message: { op?: string; result?: unknown }): Promise<unknown> {
  const answered = (await fn(resolveHandles(message as Record<string, unknown>))) as
    Record<string, unknown> | undefined;
  const isObject = answered !== undefined && answered !== null && typeof answered === 'object';
  // A module that does not state a version is served at the host's.
  if (message.op === 'hello' && isObject && !('protocol' in answered))
    return reply({ ...answered, protocol: HOST_PROTOCOL });
  if (message.result !== 'handle' || !isObject || 'error' in answered) return reply(answered);
  // A timed request's answer is kept, not serialised inside the timing; its digest, computed now,
  // proves it existed when the clock stopped. fetch sends it.
  kept = { handle: `r${++keptCount}`, answer: answered };
  const elapsed = 'elapsed_ms' in answered ? { elapsed_ms: answered.elapsed_ms } : {};
  reply({ handle: kept.handle, digest: resultDigest(answered), ...elapsed });
}

/** One request: the host's own ops (ping, load, fetch where the module has none), else the module's. */
async function answerOne(module: LoadedModule, message: { op?: string }): Promise<unknown> {
  const { api, missingPackage } = module;
  if (message.op === 'ping') return reply({});
  if (
    !api &&
    message.op === 'hello' &&
    missingPackage &&
    !missingPackage.startsWith('/') &&
    !missingPackage.startsWith('.')
  )
    return reply(unavailableHello(missingPackage));
  if (!api) return reply({ error: module.loadError });
  if (message.op === 'load' && typeof api.load !== 'function') return reply(load(message as Record<string, unknown>));
  if (message.op === 'fetch' && typeof api.fetch !== 'function') {
    const h = (message as { handle?: unknown }).handle;
    reply(kept && kept.handle === h ? kept.answer : { error: `fetch: no result under handle ${JSON.stringify(h)}` });
    kept = undefined;
    return;
  }
  const fn = api[message.op ?? ''];
  if (typeof fn !== 'function') return reply({ error: `the module exports no function '${message.op}'` });
  await callOp(fn as (m: unknown) => unknown, message);
}

async function main(): Promise<void> {
  const module = await loadModule();
  // Requests are answered one at a time, in order.
  for await (const line of readline.createInterface({ input: process.stdin })) {
    let message: { op?: string };
    try {
      message = JSON.parse(line) as { op?: string };
    } catch {
      reply({ error: `the request is not JSON: ${line.slice(0, 80)}` });
      continue;
    }
    if (message.op === 'shutdown') break;
    try {
      await answerOne(module, message);
    } catch (e) {
      reply({ error: e instanceof Error ? e.message : String(e) });
    }
  }
  // Nothing left to send: leave at once. Waiting a turn of the event loop for the channel's end would let the harness's
  // end of stdin, when it has arrived by then, be read and its handlers compiled in some processes and not others
  // (2.5 M instructions apart under valgrind: docs/counted-measurement.md).
  if (channel.writableLength === 0) process.exit(0);
  channel.end(() => process.exit(0));
}

void main();
