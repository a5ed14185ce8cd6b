// The loopback server a browser backend's page is loaded from: the page's assets, and the checkout's
// fixtures/ read-only (the data the cells load). Cross-origin isolated (COOP/COEP), which is what gives
// the page SharedArrayBuffer and so tfjs's multi-threaded wasm. Listens on 127.0.0.1 only.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The file a request path names inside `dir`, or undefined when it would leave it. */
export function inside(dir: string, requestPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return undefined;
  }
  const file = path.resolve(dir, `.${path.posix.normalize(`/${decoded}`)}`);
  return file === dir || file.startsWith(dir + path.sep) ? file : undefined;
}

export function servePage(assetsDir: string, fixturesDir: string): Promise<PageServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fromFixtures = url.pathname.startsWith('/fs/fixtures/');
    const file = fromFixtures
      ? inside(fixturesDir, url.pathname.slice('/fs/fixtures'.length))
      : inside(assetsDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (
      !file ||
      !fs.existsSync(file) ||
      !fs.statSync(file).isFile() ||
      (req.method !== 'GET' && req.method !== 'HEAD')
    ) {
      res.writeHead(404, ISOLATION).end();
      return;
    }
    const gz = fromFixtures && file.endsWith('.gz');
    const type = gz ? 'application/octet-stream' : (TYPES[path.extname(file)] ?? 'application/octet-stream');
    // A fixture's .gz goes out as gzip content encoding, so the page's synchronous reader gets it inflated.
    res.writeHead(200, {
      ...ISOLATION,
      'Content-Type': type,
      'Content-Length': fs.statSync(file).size,
      'Cache-Control': 'no-store',
      ...(gz ? { 'Content-Encoding': 'gzip' } : {}),
    });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
