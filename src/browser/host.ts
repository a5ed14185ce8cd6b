// The child process of a browser backend: the parent's protocol on one side (exactly a Node worker's),
// a fresh headless Chromium on the other. It serves the page on the loopback address, starts the
// browser, hands the page the parent's message, relays the page's messages back, and closes both.
// A page that crashes ends this process with an error, which the parent turns into an errored row;
// one that hangs is stopped by the parent's hard limit, and Chromium goes with it (its control pipe closes).
import os from 'node:os';
import { FIXTURES_DIR } from '../layout.js';
import type { CellsMessage, ChildMessage } from '../timing/messages.js';
import { BackendUnavailable } from '../errors.js';
import { pageAssets } from './assets.js';
import { CHROMIUM_FIX, chromiumFlags, findChromium } from './chromium.js';
import type { HostInfo } from './page-info.js';
import { servePage } from './server.js';

/** The first line of an error (playwright's messages carry a call log below it). Not run-cell's
 *  errorMessage: importing that would load tfjs and every model into this process, per cell. */
const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** Settings of the host that a page honours, as a Node worker does (an injected slowdown, the wasm matMul switch). */
const FORWARDED_ENV = /^MODELBENCH_/;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, (e: Error | null) => (e ? reject(e) : resolve())));
}

async function unavailableOr<T>(what: () => Promise<T>, fix: string): Promise<T> {
  try {
    return await what();
  } catch (e) {
    if (e instanceof BackendUnavailable) throw e;
    throw new BackendUnavailable(firstLine(e), fix);
  }
}

/** What the page is told of the machine it runs on, and the environment it may read. */
function hostInfo(browserVersion: string, flags: string[]): HostInfo {
  const forwarded = Object.entries(process.env).filter(
    (e): e is [string, string] => FORWARDED_ENV.test(e[0]) && e[1] !== undefined,
  );
  const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
  return { browserVersion, flags, cpuModel, totalmem: os.totalmem(), env: Object.fromEntries(forwarded) };
}

async function handle(message: CellsMessage): Promise<void> {
  const started = performance.now();
  const chromium = findChromium();
  if (!('path' in chromium)) throw new BackendUnavailable(chromium.reason, CHROMIUM_FIX);
  const assets = await pageAssets();
  const server = await servePage(assets, FIXTURES_DIR);
  const flags = chromiumFlags();
  const { chromium: launcher } = await unavailableOr(
    () => import('playwright-core'),
    'npm ci (playwright-core drives the system Chromium)',
  );
  const browser = await unavailableOr(
    () => launcher.launch({ executablePath: chromium.path, args: flags, timeout: 60_000 }),
    `Chromium at ${chromium.path} did not start: check it runs with \`` +
      `${chromium.path} --headless --version\`; ${CHROMIUM_FIX}`,
  );
  try {
    const page = await browser.newPage();
    const crashed = new Promise<never>((_, reject) =>
      page.on('crash', () => reject(new Error('the page crashed (out of memory, or the GPU process died)'))),
    );
    crashed.catch(() => {});
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    page.on('console', (m) => {
      if (m.type() === 'error') process.stderr.write(`page console: ${m.text()}\n`);
    });
    let startupMs: number | undefined;
    await page.exposeBinding('modelbenchSend', async (_source, m: ChildMessage) => {
      // Browser start, page load and backend start, apart from every timed number (as a first run is).
      if (m.type === 'runtime') {
        startupMs ??= performance.now() - started;
        m = { ...m, runtime: { ...m.runtime, details: { ...m.runtime.details, pageStartupMs: startupMs.toFixed(0) } } };
      }
      await send(m);
    });
    // An error while the page's script loads means it will never be ready: say so now, not after a timeout.
    const loadFailed = new Promise<never>((_, reject) =>
      page.once('pageerror', (e) => reject(new Error(`the page failed to load: ${e.message}`))),
    );
    loadFailed.catch(() => {});
    await page.goto(`${server.url}/`, { waitUntil: 'load', timeout: 60_000 });
    await Promise.race([
      page.waitForFunction(() => typeof window.modelbenchServe === 'function', undefined, { timeout: 60_000 }),
      loadFailed,
      crashed,
    ]);
    const info = hostInfo(`Chromium ${browser.version()}`, flags);
    await Promise.race([page.evaluate(([m, i]) => window.modelbenchServe(m, i), [message, info] as const), crashed]);
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
}

// An orphaned host would keep its browser burning CPU: leave with the parent.
process.on('disconnect', () => process.exit(1));

process.once('message', (message: CellsMessage) => {
  handle(message)
    .catch(async (e) => {
      if (e instanceof BackendUnavailable) {
        await send({ type: 'unavailable', reason: e.reason, fix: e.fix });
        await send({ type: 'done' });
        return;
      }
      process.stderr.write(`modelbench browser host (${message.backend}): ${firstLine(e)}\n`);
      process.exitCode = 1;
    })
    .finally(() => process.exit());
});
