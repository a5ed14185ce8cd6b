// The process that hosts a JavaScript/TypeScript implementation module: it reads one JSON request per
// line on stdin and answers each on stdout by calling the module's export named after the op (hello,
// fit, predict_proba, decision_function, encode, ...). Whatever the module itself prints goes to
// stderr (the harness's log), so it can never be mistaken for an answer.
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';

const target = process.argv[2];
const answer = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const reply = (value: unknown) => answer(JSON.stringify(value ?? null) + '\n');

async function main(): Promise<void> {
  let api: Record<string, unknown> | undefined;
  let loadError: string | undefined;
  try {
    const mod = (await import(pathToFileURL(target).href)) as Record<string, unknown>;
    api = (mod.default && typeof mod.default === 'object' ? { ...(mod.default as object), ...mod } : mod) as Record<string, unknown>;
  } catch (e) {
    loadError = `the module ${target} could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
  }
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
    if (!api) {
      reply({ error: loadError });
      continue;
    }
    const fn = api[message.op ?? ''];
    if (typeof fn !== 'function') {
      reply({ error: `the module exports no function '${message.op}'` });
      continue;
    }
    try {
      reply(await (fn as (m: unknown) => unknown)(message));
    } catch (e) {
      reply({ error: e instanceof Error ? e.message : String(e) });
    }
  }
  process.exit(0);
}

void main();
