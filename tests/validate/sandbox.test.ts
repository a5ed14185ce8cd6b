// Code under test in the bwrap sandbox (where the machine has it: CI installs bubblewrap): it can
// neither write outside its temporary folder, reach the network, read the harness's environment,
// outlive its check, nor kill the harness; endless output and terminal escapes are contained.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { startImplementation } from '../../src/protocol/client.js';
import { sandboxStatus } from '../../src/protocol/sandbox.js';
import { implementationAt } from '../../src/protocol/implementation.js';
import { sayHello } from '../../src/protocol/session.js';
import { REPO } from '../helpers/data.js';
import { modelbench } from '../helpers/cli.js';

const ESCAPE = path.join(REPO, 'tests/validate/misbehaving/escape.mjs');
const LIMITS = { timeoutMs: 30_000, memoryMb: 1024, sandbox: 'bwrap' as const };

describe('the sandbox for code under test', () => {
  let server: net.Server;
  let port = 0;
  beforeAll(async () => {
    server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => server.close());
  beforeEach((ctx) => {
    // CI installs bubblewrap (.ci/run) and must run these; elsewhere they need `apt-get install bubblewrap`.
    if (sandboxStatus().mode !== 'bwrap' && !process.env.CI) ctx.skip(`no sandbox here: ${sandboxStatus().detail}`);
  });

  it('keeps the implementation from writing outside its temporary folder, the network, the environment, the harness and the future', async () => {
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-outside-')), 'escaped');
    const marker = `${4000 + (process.pid % 1000)}.${Date.now() % 100000}`;
    process.env.MODELBENCH_TEST_SECRET = 'hunter2';
    const impl = startImplementation(ESCAPE, LIMITS, () => {});
    try {
      const r = await impl.request({ op: 'probe', outside, port, harnessPid: process.pid, marker });
      // Outside its own folders nothing is even visible (ENOENT); what is visible is read-only (EROFS).
      assert.match(String(r.wroteOutside), /refused: E(ROFS|NOENT)/);
      assert.equal(r.wroteTmp, 'wrote');
      assert.equal(r.secret, 'unset');
      assert.match(String(r.network), /refused: E(CONNREFUSED|NETUNREACH)/);
    } finally {
      delete process.env.MODELBENCH_TEST_SECRET;
      await impl.close();
    }
    assert.ok(!fs.existsSync(outside), 'a file was written outside the sandbox');
    // The grandchild it started in the background died with it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const left = spawnSync('pgrep', ['-f', `sleep ${marker}`], { encoding: 'utf8' });
    assert.equal(left.stdout.trim(), '', `a process outlived the implementation: ${left.stdout}`);
  });

  it('stops an implementation that prints endlessly without a newline, with the reason', async () => {
    const impl = startImplementation(`node ${path.join(REPO, 'tests/validate/misbehaving/misbehave.mjs')} flood`, LIMITS, () => {});
    await impl.request({ op: 'hello' });
    await assert.rejects(() => impl.request({ op: 'fit' }), /printed a line longer than \d+ bytes on its standard output \(an answer is one JSON line; the process was stopped\)/);
    await impl.close();
  });

  it('shows control characters from an implementation instead of sending them to the terminal', async () => {
    const hello = await sayHello(implementationAt(ESCAPE, LIMITS), () => {});
    assert.equal(hello.name, '\\u001b[31mescape\\u001b[0m artist');
    assert.ok(!hello.version.includes('\u0007') && !hello.version.includes('\u001b'));
    const r = modelbench(['validate', '--model', 'logreg', '--impl', ESCAPE, '--checks', 'logreg-deterministic', '--quiet']);
    assert.ok(!r.stdout.includes('\u001b') && !r.stderr.includes('\u001b'), 'an escape sequence reached the terminal');
    assert.match(r.stderr, /sandbox: bwrap/);
  });
});
