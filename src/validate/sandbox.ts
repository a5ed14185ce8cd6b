// The sandbox code under test runs in: Debian's bubblewrap (bwrap) where it works. Inside, the whole
// file system is read-only except one private temporary folder; there is no network (every namespace
// is unshared), the environment is cleared (PATH, HOME and TMPDIR, plus what the user passes on
// purpose), the process has its own PID namespace (nothing it starts can outlive it, and it cannot
// see or signal the harness) and it is killed when the harness dies. Memory is capped outside the
// sandbox with RLIMIT_DATA, which, unlike RLIMIT_AS, also lets Node and V8 start.
import { spawnSync } from 'node:child_process';

export type SandboxMode = 'bwrap' | 'none';

export interface SandboxStatus {
  readonly mode: SandboxMode;
  /** bwrap's version, or why there is no sandbox and how to get one. */
  readonly detail: string;
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
  const trial = spawnSync('bwrap', [...BASE_ARGS, '--', 'true'], { encoding: 'utf8', timeout: 10_000 });
  cached =
    trial.status === 0
      ? { mode: 'bwrap', detail: version.stdout.trim() }
      : { mode: 'none', detail: `bwrap cannot create its namespaces here (${(trial.stderr || String(trial.error)).trim().split('\n')[0]}): run as root or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)` };
  return cached;
}

const BASE_ARGS = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-all', '--die-with-parent', '--new-session', '--clearenv'];

/** The bwrap arguments that run a command with `privateDir` as its only writable folder. */
export function bwrapArgs(privateDir: string, cwd: string, env: Readonly<Record<string, string>>): string[] {
  const vars = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: privateDir, TMPDIR: privateDir, LANG: 'C.UTF-8', ...env };
  return [...BASE_ARGS, '--bind', privateDir, privateDir, '--chdir', cwd, ...Object.entries(vars).flatMap(([k, v]) => ['--setenv', k, v]), '--'];
}

/** Why code under test cannot be sandboxed here, with the fix and `orElse` (how to run it unsandboxed); undefined when it can. */
export function missingSandbox(orElse: string): string | undefined {
  const status = sandboxStatus();
  return status.mode === 'bwrap' ? undefined : `no sandbox for the code under test: ${status.detail}; or ${orElse} to run it with your user's files, network and environment`;
}

/** One line for every run that executes code under test: what isolates it, or that nothing does. */
export function sandboxLine(mode: SandboxMode, status: SandboxStatus): string {
  if (mode === 'bwrap') return `sandbox: bwrap (${status.detail}): read-only file system but a private temporary folder, no network, cleared environment, own PID namespace`;
  return `sandbox: NONE (--no-sandbox${status.mode === 'none' ? `; ${status.detail}` : ''}): the implementation runs with your user's files, network and environment`;
}
