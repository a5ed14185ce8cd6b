// Hostile code under test, as the audit of 2026-12-02 wrote it (our own versions, in hostile/): run as
// root — as CI runs these tests — it can neither remount, plant code in the harness's worker cache or
// sources, trace a process, use a capability, read a secret planted outside, nor fill /dev/shm; it
// cannot fake its timing by deferring work past the clock; and its words cannot forge the harness's.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, it } from 'vitest';
import { processEntry } from '../../src/timing/worker-build.js';
import { startImplementation } from '../../src/protocol/client.js';
import { memoryCapKind } from '../../src/protocol/memory-cap.js';
import { sandboxLine, sandboxStatus } from '../../src/protocol/sandbox.js';
import { modelbench } from '../helpers/cli.js';
import { REPO } from '../helpers/data.js';

const HOSTILE = 'tests/validate/hostile';
const LIMITS = { timeoutMs: 60_000, memoryMb: 1024, sandbox: 'bwrap' as const };
const SECRET = 'MODELBENCH-PLANTED-SECRET-4f1c9e';

/** A secret file outside anything the sandbox shows, mode 600 as SSH keys are. */
function plantSecret(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-secret-')), 'credentials');
  fs.writeFileSync(file, SECRET, { mode: 0o600 });
  return file;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

describe('code under test is contained', () => {
  beforeEach((ctx) => {
    // CI installs bubblewrap (.ci/run) and must run these; elsewhere they need `apt-get install bubblewrap`.
    if (sandboxStatus().mode !== 'bwrap' && !process.env.CI) ctx.skip(`no sandbox here: ${sandboxStatus().detail}`);
  });

  it(`refuses a remount, writes into the harness and its worker cache, ptrace, capabilities, a planted secret and a full /dev/shm (as uid ${process.getuid?.()})`, async () => {
    const worker = await processEntry('worker');
    const before = fs.readFileSync(worker.file, 'utf8');
    const secretFile = plantSecret();
    const impl = startImplementation(path.join(REPO, HOSTILE, 'root-escape.mjs'), LIMITS, () => {});
    try {
      await impl.request({ op: 'hello' });
      const r = await impl.request({ op: 'probe', harnessFile: path.join(REPO, 'src/layout.ts'), workerFile: worker.file, secretFile });
      assert.match(String(r.remount), /^refused/);
      assert.match(String(r.wroteHarness), /^refused: EROFS/);
      assert.match(String(r.wroteWorker), /^refused: E(ROFS|NOENT)/);
      assert.match(String(r.ptrace), /^refused: errno 1$/, 'ptrace is EPERM (the seccomp filter)');
      for (const call of ['chown', 'sethostname', 'setuid'] as const) assert.match(String(r[call]), /^refused/, call);
      assert.equal(r.capEff, '0000000000000000');
      assert.equal(r.noNewPrivs, '1');
      assert.equal(r.uid, 65534);
      assert.match(String(r.secret), /^refused: ENOENT/);
      assert.match(String(r.home), /^refused: ENOENT/);
      assert.match(String(r.shm), /^refused: ENOSPC/);
    } finally {
      await impl.close();
    }
    assert.equal(fs.readFileSync(worker.file, 'utf8'), before, 'the worker cache is unchanged');
  });

  it('rebuilds a cached worker changed behind the harness, never runs it', async () => {
    const worker = await processEntry('worker');
    const honest = fs.readFileSync(worker.file, 'utf8');
    fs.appendFileSync(worker.file, '\nthrow new Error("planted");\n');
    const again = await processEntry('worker');
    assert.equal(again.file, worker.file);
    assert.equal(fs.readFileSync(again.file, 'utf8'), honest);
  });

  it('caps shared memory with the memory limit where a cgroup can be made (root in CI), and says which limit holds', async (ctx) => {
    const kind = memoryCapKind();
    assert.match(sandboxLine('bwrap', sandboxStatus()), new RegExp(`memory capped by ${kind}`));
    if (kind === 'RLIMIT_DATA') ctx.skip('no memory cgroup can be made here (not root, no delegated cgroup): RLIMIT_DATA alone holds');
    const impl = startImplementation(`/usr/bin/python3 ${HOSTILE}/shared-memory-hog.py`, { ...LIMITS, memoryMb: 256 }, () => {});
    await assert.rejects(() => impl.request({ op: 'hello' }), /killed by the kernel: its memory .* passed the 256 MB limit \(cgroup v[12]\)/);
    await impl.close();
  });

  it('ends a request that does no model work at its own deadline (an implementation that never answers load)', async () => {
    // 5 s: the hello is bound by the same deadline, and a module host starts in about a second on a busy machine.
    const impl = startImplementation(path.join(REPO, HOSTILE, 'never-loads.mjs'), { ...LIMITS, controlTimeoutMs: 5000 }, () => {});
    await impl.request({ op: 'hello' });
    await assert.rejects(() => impl.request({ op: 'load', path: '/nonexistent', shape: [1] }), /no answer to 'load' within 5 s \(the process was stopped\)/);
    await impl.close();
  });

  it('keeps a planted secret out of every output, even when the implementation tries to carry it in its words', () => {
    const secretFile = plantSecret();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-leak-'));
    const r = modelbench(['validate', '--model', 'logreg', '--impl', `${HOSTILE}/leaks.mjs`, '--env', `SECRET_FILE=${secretFile}`, '--checks', 'logreg-deterministic', '--report', out]);
    assert.match(r.stdout + r.stderr, /unreadable \(ENOENT\)/, r.stderr);
    assert.ok(!(r.stdout + r.stderr).includes(SECRET), 'the secret reached the terminal');
    const files = filesUnder(out);
    assert.ok(files.length >= 2, `validate --report wrote ${files.join(', ')}`);
    for (const f of files) assert.ok(!fs.readFileSync(f, 'utf8').includes(SECRET), `the secret reached ${f}`);
  });
});

describe('run --impl against hostile implementations', () => {
  beforeEach((ctx) => {
    if (sandboxStatus().mode !== 'bwrap' && !process.env.CI) ctx.skip(`no sandbox here: ${sandboxStatus().detail}`);
  });

  it('catches deferred work, refuses forged words and a 2e6-deep hello, and our own rows still run', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-hostile-'));
    const suite = path.join(dir, 'suite.json');
    const timing = { timeMs: 20, minIterations: 3, warmupIterations: 1, maxCellSeconds: 5 };
    fs.writeFileSync(suite, JSON.stringify({ name: 'hostile', description: 'one small cell', timing, cells: [{ model: 'logreg', workload: 'predict', sizes: [{ rows: 200, cols: 5 }] }] }));
    const impls = [`tojson=${HOSTILE}/defers-tojson.mjs`, ...['nodigest', 'stale', 'slowfetch'].map((m) => `${m}=node ${HOSTILE}/defers-raw.mjs ${m}`), `forges=${HOSTILE}/forges.mjs`, `deep=/usr/bin/python3 ${HOSTILE}/deep-hello.py`];
    const out = path.join(dir, 'results');
    const r = modelbench(['run', '--suite', suite, '--backends', 'cpu', '--impl-timeout', '20', ...impls.flatMap((i) => ['--impl', i]), '--out', out]);
    assert.equal(r.code, 1, r.stderr + r.stdout);
    const [run] = fs.readdirSync(out);
    const rows = (JSON.parse(fs.readFileSync(path.join(out, run, 'results.json'), 'utf8')) as { rows: { implementation?: string; backend: string; status: string; error?: string; version?: string; backendVersion: string; device: string }[] }).rows;
    const of = (name: string) => rows.find((x) => x.implementation === name)!;
    assert.equal(rows.find((x) => x.implementation === undefined && x.backend === 'cpu')?.status, 'ok', 'our own row ran beside them');
    assert.match(of('tojson').error!, /answer changed after timing/);
    assert.match(of('stale').error!, /answer changed after timing/);
    assert.match(of('nodigest').error!, /must be answered \{"handle": str, "digest"/);
    assert.match(of('slowfetch').error!, /fetching the result took \d+ ms for \d+ bytes/);
    assert.match(of('deep').error!, /nests more than a million levels deep; at most 64 are read/);
    const forged = of('forges');
    assert.equal(forged.status, 'errored');
    assert.ok(!forged.backendVersion.includes('forged-by-fd1'), 'a write to fd 1 was read as the hello');
    for (const text of [forged.backendVersion, forged.device, forged.error!]) assert.ok(!/[\n\r\u202e]/.test(text), JSON.stringify(text));
    // The terminal and summary.txt show every forged line escaped: the only verdict line is the harness's own.
    for (const text of [r.stdout, fs.readFileSync(path.join(out, run, 'summary.txt'), 'utf8')]) {
      assert.ok(!/^\s*(CONFORMS|VALID)\b/m.test(text), text);
      assert.match(text, /INVALID/);
    }
  });
});

describe('a target that cannot be what it names', () => {
  it('a module path that does not exist is said so, not run as a shell command (exit 127)', () => {
    assert.throws(() => startImplementation('/nonexistent/impl.mjs', LIMITS, () => {}), /\/nonexistent\/impl\.mjs does not exist: a module target must be an existing/);
  });
});

describe('--sandbox-bind and names', () => {
  beforeEach((ctx) => {
    if (sandboxStatus().mode !== 'bwrap' && !process.env.CI) ctx.skip(`no sandbox here: ${sandboxStatus().detail}`);
  });

  it('shows a folder the user names, read-only, and says so on the sandbox line', () => {
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-bind-'));
    fs.writeFileSync(path.join(shared, 'weights.txt'), 'visible');
    const hidden = modelbench(['validate', '--model', 'logreg', '--impl', `${HOSTILE}/leaks.mjs`, '--env', `SECRET_FILE=${path.join(shared, 'weights.txt')}`, '--checks', 'logreg-deterministic']);
    assert.match(hidden.stdout + hidden.stderr, /unreadable \(ENOENT\)/);
    const bound = modelbench(['validate', '--model', 'logreg', '--impl', `${HOSTILE}/leaks.mjs`, '--env', `SECRET_FILE=${path.join(shared, 'weights.txt')}`, '--sandbox-bind', shared, '--checks', 'logreg-deterministic']);
    assert.match(bound.stdout + bound.stderr, /leaks visible/);
    assert.match(bound.stderr, new RegExp(`also visible \\(--sandbox-bind\\): "${shared}"`));
    const missing = modelbench(['validate', '--model', 'logreg', '--impl', `${HOSTILE}/leaks.mjs`, '--sandbox-bind', '/nonexistent/folder']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--sandbox-bind '\/nonexistent\/folder' does not exist/);
  });

  it('refuses another target under a bundled implementation name (its rows would be labelled as the bundled one)', () => {
    const r = modelbench(['run', '--suite', 'smoke', '--impl', 'sklearn-logreg=examples/ci-recipe/logreg.mjs']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'sklearn-logreg' is a bundled implementation; give yours another NAME/);
  });
});
