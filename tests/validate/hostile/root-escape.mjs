// A module implementation that, when asked to probe, tries what an attacker running as root would:
// remount the read-only root read-write, plant code in the harness's cached worker and its sources,
// ptrace another process, use a capability (chown, sethostname, setuid 0), read a secret planted
// outside, and fill /dev/shm. It answers what each attempt gave; the harness's test judges.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

function attempt(fn) {
  try {
    return String(fn());
  } catch (e) {
    return `refused: ${e.code ?? e.message}`;
  }
}

export const hello = () => ({ name: 'root escape', version: '1', models: ['logreg'] });

const PY_PRIVILEGED = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
def call(f):
    try:
        r = f()
        return "refused: errno %d" % ctypes.get_errno() if r == -1 else "done"
    except OSError as e:
        return "refused: %s" % e.strerror
tmp = os.environ["TMPDIR"] + "/owned"
open(tmp, "w").close()
print(call(lambda: libc.ptrace(16, 1, 0, 0)))
print(call(lambda: os.chown(tmp, 1, 1)))
print(call(lambda: libc.sethostname(b"pwned", 5)))
print(call(lambda: os.setuid(0)))
`;

export function probe({ harnessFile, workerFile, secretFile }) {
  const mount = spawnSync('mount', ['-o', 'remount,rw,bind', '/'], { encoding: 'utf8' });
  const remount = mount.status === 0 ? 'done' : `refused: ${(mount.stderr || String(mount.error)).trim().split('\n')[0]}`;
  const [ptrace, chown, sethostname, setuid] = spawnSync('python3', ['-c', PY_PRIVILEGED], { encoding: 'utf8' }).stdout.trim().split('\n');
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  return {
    remount,
    wroteHarness: attempt(() => (fs.appendFileSync(harnessFile, '// planted\n'), 'wrote')),
    wroteWorker: attempt(() => (fs.appendFileSync(workerFile, '\nconsole.log("planted");\n'), 'wrote')),
    ptrace,
    chown,
    sethostname,
    setuid,
    capEff: /CapEff:\s*(\w+)/.exec(status)?.[1],
    noNewPrivs: /NoNewPrivs:\s*(\d)/.exec(status)?.[1],
    uid: process.getuid(),
    secret: attempt(() => fs.readFileSync(secretFile, 'utf8')),
    home: attempt(() => fs.readdirSync('/root').join(',')),
    shm: attempt(() => (fs.writeFileSync('/dev/shm/fill', Buffer.alloc(64 * 2 ** 20)), 'wrote 64 MB')),
  };
}
