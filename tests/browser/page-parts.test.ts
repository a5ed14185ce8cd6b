// The parts of the browser runner that need no browser: the page's path shim agrees with Node's POSIX
// path on any path, and the loopback server serves only its two folders, cross-origin isolated,
// with a fixture's .gz sent as gzip content encoding (so the page's synchronous reader gets it inflated).
import { test } from '@fast-check/vitest';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as shim from '../../src/browser/shims/path.js';
import { inside, servePage } from '../../src/browser/server.js';
import { tmpDir } from '../helpers/runs.js';

const segment = fc.constantFrom('a', 'bc', '.', '..', '...', '', 'x.gz', 'd.e.f', '.rc', '..a', 'b.');
const pathText = fc.tuple(fc.boolean(), fc.array(segment, { maxLength: 6 })).map(([abs, parts]) => `${abs ? '/' : ''}${parts.join('/')}`);

describe('the page path shim', () => {
  test.prop([pathText])('normalize, dirname, basename and extname agree with path.posix', (p) => {
    assert.equal(shim.normalize(p), path.posix.normalize(p).replace(/(.)\/$/, '$1'));
    assert.equal(shim.dirname(p), path.posix.dirname(p));
    assert.equal(shim.basename(p), path.posix.basename(p));
    assert.equal(shim.extname(p), path.posix.extname(p));
  });

  test.prop([fc.array(pathText, { minLength: 1, maxLength: 4 })])('join and resolve (from the root) agree with path.posix', (parts) => {
    const joined = path.posix.join(...parts);
    assert.equal(shim.join(...parts), joined === '.' || joined === '' ? '.' : joined.replace(/(.)\/$/, '$1'));
    assert.equal(shim.resolve('/', ...parts), path.posix.resolve('/', ...parts));
  });
});

describe('the page server', () => {
  it('keeps requests inside their folder', () => {
    assert.equal(inside('/srv/a', '/x/y.js'), '/srv/a/x/y.js');
    assert.equal(inside('/srv/a', '/../a-secret'), '/srv/a/a-secret');
    assert.equal(inside('/srv/a', '/%2e%2e/%2e%2e/etc/passwd'), '/srv/a/etc/passwd');
    assert.equal(inside('/srv/a', '/%E0%A4%A'), undefined, 'a malformed escape');
  });

  it('serves the page and fixtures cross-origin isolated on the loopback address, and nothing else', async () => {
    const dir = tmpDir();
    const assets = path.join(dir, 'assets');
    const fixtures = path.join(dir, 'fixtures');
    fs.mkdirSync(assets);
    fs.mkdirSync(path.join(fixtures, 'set'), { recursive: true });
    fs.writeFileSync(path.join(assets, 'index.html'), '<p>page</p>');
    fs.writeFileSync(path.join(fixtures, 'set/data.gz'), zlib.gzipSync(Buffer.from('inflated bytes')));
    fs.writeFileSync(path.join(dir, 'outside.txt'), 'secret');
    const server = await servePage(assets, fixtures);
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(`${server.url}/`);
      assert.equal(await page.text(), '<p>page</p>');
      assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
      assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
      const data = await fetch(`${server.url}/fs/fixtures/set/data.gz`);
      assert.equal(data.headers.get('content-encoding'), 'gzip');
      assert.equal(await data.text(), 'inflated bytes', 'fetch inflates it, as the browser does');
      for (const escape of ['/../outside.txt', '/fs/fixtures/../../outside.txt', '/fs/fixtures/%2e%2e/outside.txt', '/fs/other/x']) {
        assert.equal((await fetch(`${server.url}${escape}`)).status, 404, escape);
      }
      assert.equal((await fetch(`${server.url}/`, { method: 'POST' })).status, 404, 'read-only');
    } finally {
      await server.close();
    }
  });
});
