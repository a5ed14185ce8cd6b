// The sandbox code under test runs in: Debian's bubblewrap (bwrap) where it works. Inside, the
// implementation sees a minimal file system (the system's programs and libraries, /etc without its
// credentials, its own folder, the runtime it names, the data of its requests, all read-only, and one
// private temporary folder as HOME and TMPDIR), no network (every namespace is unshared), a cleared
// environment, its own PID namespace (nothing it starts can outlive it, and it cannot see or signal
// the harness), and it is killed when the harness dies. It runs as an unprivileged user (65534) of its
// own user namespace with every capability dropped and no_new_privs, so even when the harness runs as
// root it cannot remount what is read-only (docs/protocol.md, "The sandbox"). Memory is capped outside
// the sandbox (memory-cap.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryCapKind } from './memory-cap.js';
import { seccompProgram } from './seccomp.js';

export type SandboxMode = 'bwrap' | 'none';

export interface SandboxStatus {
  readonly mode: SandboxMode;
  /** bwrap's version, or why there is no sandbox and how to get one. */
  readonly detail: string;
}

/** What one sandboxed process may see besides the system: its private folder (writable) and read-only paths. */
export interface SandboxView {
  readonly privateDir: string;
  readonly readOnly: readonly string[];
  /** The working folder inside (created empty when nothing visible holds it). */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Folders the harness made for the process to write into besides its private one (a counter's output). */
  readonly writable?: readonly string[];
}

/** The file descriptor on which the sandboxed child's bwrap reads its seccomp filter (seccomp.ts). */
export const SECCOMP_FD = 4;

/** An unprivileged uid and gid inside the sandbox's user namespace: nobody, as on Debian. */
const NOBODY = '65534';
/** /dev/shm is memory the data limit does not count: a small tmpfs of its own. */
export const SHM_BYTES = 16 * 2 ** 20;

const ISOLATION = [
  '--unshare-all',
  '--unshare-user',
  '--disable-userns',
  '--uid',
  NOBODY,
  '--gid',
  NOBODY,
  '--cap-drop',
  'ALL',
  '--die-with-parent',
  '--new-session',
  '--clearenv',
];
const SYSTEM_DIRS = ['/usr', '/etc', '/opt'];
const TOP_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/** Files and folders of /etc that hold credentials: hidden even though /etc is visible. */
const CREDENTIAL_FILES = [
  '/etc/shadow',
  '/etc/shadow-',
  '/etc/gshadow',
  '/etc/gshadow-',
  '/etc/sudoers',
  '/etc/security/opasswd',
  '/etc/machine-id',
];
const CREDENTIAL_DIRS = [
  '/etc/ssh',
  '/etc/sudoers.d',
  '/etc/ssl/private',
  '/etc/docker',
  '/etc/cups/ssl',
  '/etc/NetworkManager/system-connections',
];

function systemArgs(): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) if (fs.existsSync(dir)) args.push('--ro-bind', dir, dir);
  for (const entry of TOP_LINKS) {
    const stat = fs.lstatSync(entry, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) args.push('--symlink', fs.readlinkSync(entry), entry);
    else if (stat?.isDirectory()) args.push('--ro-bind', entry, entry);
  }
  for (const file of CREDENTIAL_FILES) if (fs.existsSync(file)) args.push('--ro-bind', '/dev/null', file);
  for (const dir of CREDENTIAL_DIRS) if (fs.existsSync(dir)) args.push('--tmpfs', dir, '--remount-ro', dir);
  // The CPU list, which BLAS and OpenMP read to size their thread pools; nothing else of /sys.
  args.push('--ro-bind-try', '/sys/devices/system/cpu', '/sys/devices/system/cpu');
  args.push(
    '--dev',
    '/dev',
    '--size',
    String(SHM_BYTES),
    '--tmpfs',
    '/dev/shm',
    '--remount-ro',
    '/dev',
    '--proc',
    '/proc',
  );
  return args;
}

let cached: SandboxStatus | undefined;

/** Whether bwrap exists and can create the namespaces it needs here (it cannot inside some containers). */
export function sandboxStatus(): SandboxStatus {
  if (cached) return cached;
  const version = spawnSync('bwrap', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    cached = { mode: 'none', detail: 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap' };
    return cached;
  }
  const trial = trySandbox();
  const why = (trial.stderr || String(trial.error)).trim().split('\n')[0];
  cached =
    trial.status === 0
      ? { mode: 'bwrap', detail: version.stdout.trim() }
      : {
          mode: 'none',
          detail:
            `bwrap cannot create its namespaces here (${why}): allow unprivileged ` +
            `user namespaces (sysctl kernel.unprivileged_userns_clone=1) or use ` +
            `bubblewrap 0.8 or later`,
        };
  return cached;
}

/** One run of `true` in the sandbox as code under test gets it, the seccomp filter included. */
function trySandbox(): { status: number | null; stderr: string; error?: Error } {
  const program = seccompProgram();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelbench-sandbox-trial-'));
  try {
    const file = path.join(dir, 'filter.bpf');
    fs.writeFileSync(file, program ?? Buffer.alloc(0));
    const fd = fs.openSync(file, 'r');
    try {
      const stdio: ('ignore' | 'pipe' | number)[] = ['ignore', 'pipe', 'pipe', 'ignore', fd];
      const args = [
        ...ISOLATION,
        ...systemArgs(),
        ...(program ? ['--seccomp', String(SECCOMP_FD)] : []),
        '--remount-ro',
        '/',
        '--',
        'true',
      ];
      return spawnSync('bwrap', args, { encoding: 'utf8', timeout: 10_000, stdio });
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The bwrap arguments that run a command seeing only the system and `view` (with the filter on SECCOMP_FD where there
 * is one).
 */
export function bwrapArgs(view: SandboxView): string[] {
  const binds: string[] = [];
  // Parents first: a folder bound inside another visible folder stays visible.
  for (const p of [...new Set(view.readOnly)].sort((a, b) => a.length - b.length)) binds.push('--ro-bind', p, p);
  const env = Object.entries(view.env).flatMap(([k, v]) => ['--setenv', k, v]);
  const cwd =
    view.readOnly.some((p) => view.cwd === p || view.cwd.startsWith(`${p}/`)) || view.cwd === view.privateDir
      ? []
      : ['--dir', view.cwd];
  const seccomp = seccompProgram() ? ['--seccomp', String(SECCOMP_FD)] : [];
  return [
    ...ISOLATION,
    ...seccomp,
    ...systemArgs(),
    ...cwd,
    ...binds,
    '--bind',
    view.privateDir,
    view.privateDir,
    ...(view.writable ?? []).flatMap((p) => ['--bind', p, p]),
    '--remount-ro',
    '/',
    '--chdir',
    view.cwd,
    ...env,
    '--',
  ];
}

/**
 * Why code under test cannot be sandboxed here, with the fix and `orElse` (how to run it unsandboxed); undefined when
 * it can.
 */
export function missingSandbox(orElse: string): string | undefined {
  const status = sandboxStatus();
  return status.mode === 'bwrap'
    ? undefined
    : `no sandbox for the code under test: ${status.detail}; or ${orElse} to ` +
        `run it with your user's files, network and environment`;
}

/** One line for every run that executes code under test: what isolates it, or that nothing does. */
export function sandboxLine(mode: SandboxMode, status: SandboxStatus, binds: readonly string[] = []): string {
  if (mode === 'bwrap') {
    const extra =
      binds.length > 0 ? `; also visible (--sandbox-bind): ${binds.map((b) => JSON.stringify(b)).join(', ')}` : '';
    return (
      `sandbox: bwrap (${status.detail}): unprivileged, no capabilities; ` +
      `sees only the system, its own folder and a private temporary folder` +
      `${extra}; no network, cleared environment, own PID namespace; memory ` +
      `capped by ${memoryCapKind()}`
    );
  }
  return (
    `sandbox: NONE (--no-sandbox` +
    `${status.mode === 'none' ? `; ${status.detail}` : ''}): the ` +
    `implementation runs with your user's files, network and environment; ` +
    `memory capped by ${memoryCapKind()}`
  );
}

/** A folder the sandbox shows in full: already visible as part of the system, or the root itself. */
export function isSystemPath(p: string): boolean {
  return p === '/' || [...SYSTEM_DIRS, ...TOP_LINKS].some((d) => p === d || p.startsWith(`${d}/`));
}
