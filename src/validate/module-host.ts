// Runs in a worker thread: loads the implementation module and answers each request by calling its
// export named after the op (hello, fit, predict_proba, decision_function, encode, ...).
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

const { target } = workerData as { target: string };
const loaded = import(pathToFileURL(target).href);

parentPort!.on('message', async (message: { op: string }) => {
  try {
    const mod = (await loaded) as Record<string, unknown>;
    const api = (mod.default && typeof mod.default === 'object' ? { ...(mod.default as object), ...mod } : mod) as Record<string, unknown>;
    if (message.op === 'shutdown') process.exit(0);
    const fn = api[message.op];
    if (typeof fn !== 'function') {
      parentPort!.postMessage({ error: `the module exports no function '${message.op}'` });
      return;
    }
    parentPort!.postMessage(await (fn as (m: unknown) => unknown)(message));
  } catch (e) {
    parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
