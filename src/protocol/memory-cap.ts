// The memory limit of an implementation under test. RLIMIT_DATA (ulimit -d) caps what a process
// allocates privately, but not shared mappings, /dev/shm, page cache or what its children allocate;
// a memory cgroup counts all of them. Where the harness may create one (root, or a delegated cgroup),
// each implementation process joins a cgroup of its own before anything of it runs; elsewhere the
// data limit alone holds, and every run says which (sandboxLine).
import fs from 'node:fs';
import path from 'node:path';

export type MemoryCapKind = 'cgroup v2' | 'cgroup v1' | 'RLIMIT_DATA';

interface CgroupBase {
  readonly kind: 'cgroup v2' | 'cgroup v1';
  readonly dir: string;
}

/** One process's cgroup: where it joins, and what the kernel counted. */
export interface MemoryCgroup {
  readonly kind: 'cgroup v2' | 'cgroup v1';
  /** The argv that joins the cgroup, then becomes `argv` (so that nothing of it runs outside). */
  wrap(argv: readonly string[]): string[];
  /** Whether the kernel killed something in it for memory. */
  oomKilled(): boolean;
  remove(): void;
}

/** The exit code of the wrapper when it cannot join its cgroup. */
export const JOIN_FAILED = 97;

const read = (file: string) => fs.readFileSync(file, 'utf8');

/** The memory controller's folder of this process: cgroup v2's unified tree, or v1's memory hierarchy. */
function ownCgroup(): CgroupBase | undefined {
  let lines: string[];
  try {
    lines = read('/proc/self/cgroup').trim().split('\n');
  } catch {
    return undefined;
  }
  const v1 = lines.map((l) => /^\d+:([^:]*):(.*)$/.exec(l)).find((m) => m && m[1].split(',').includes('memory'));
  if (v1 && fs.existsSync(path.join('/sys/fs/cgroup/memory', v1[2], 'memory.limit_in_bytes')))
    return { kind: 'cgroup v1', dir: path.join('/sys/fs/cgroup/memory', v1[2]) };
  const v2 = lines.map((l) => /^0::(.*)$/.exec(l)).find(Boolean);
  if (!v2) return undefined;
  const dir = path.join('/sys/fs/cgroup', v2[1]);
  const enabled =
    fs.existsSync(path.join(dir, 'cgroup.subtree_control')) &&
    read(path.join(dir, 'cgroup.subtree_control')).split(/\s+/).includes('memory');
  return enabled ? { kind: 'cgroup v2', dir } : undefined;
}

let probed: { base?: CgroupBase } | undefined;
let count = 0;

function makeCgroup(base: CgroupBase, limitBytes: number): MemoryCgroup {
  const dir = path.join(base.dir, `modelbench-impl-${process.pid}-${++count}`);
  fs.mkdirSync(dir);
  if (base.kind === 'cgroup v1') {
    fs.writeFileSync(path.join(dir, 'memory.limit_in_bytes'), String(limitBytes));
    try {
      // Swap counted too where the kernel accounts it; without it, swapped-out pages would escape the limit.
      fs.writeFileSync(path.join(dir, 'memory.memsw.limit_in_bytes'), String(limitBytes));
    } catch {
      // No swap accounting here.
    }
  } else {
    fs.writeFileSync(path.join(dir, 'memory.max'), String(limitBytes));
    fs.writeFileSync(path.join(dir, 'memory.swap.max'), '0');
  }
  return {
    kind: base.kind,
    wrap: (argv) => [
      'sh',
      '-c',
      `echo $$ > "$1" || exit ${JOIN_FAILED}; shift; exec "$@"`,
      'sh',
      path.join(dir, 'cgroup.procs'),
      ...argv,
    ],
    oomKilled: () => {
      try {
        return base.kind === 'cgroup v1'
          ? /oom_kill [1-9]/.test(read(path.join(dir, 'memory.oom_control'))) ||
              Number(read(path.join(dir, 'memory.failcnt'))) > 0
          : /oom_kill [1-9]/.test(read(path.join(dir, 'memory.events')));
      } catch {
        return false;
      }
    },
    remove: () => removeWhenEmpty(dir, 20),
  };
}

/** A cgroup can be removed once its last process is gone, which the kernel may take a moment to say. */
function removeWhenEmpty(dir: string, triesLeft: number): void {
  try {
    fs.rmdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EBUSY' && triesLeft > 0)
      setTimeout(() => removeWhenEmpty(dir, triesLeft - 1), 100).unref();
  }
}

/**
 * A cgroup capping one process at `memoryMb`, or undefined where none can be made (the data limit alone then holds).
 */
export function memoryCgroup(memoryMb: number): MemoryCgroup | undefined {
  if (!probed) {
    // Probed once: a cgroup made and removed again shows that this process may make them.
    const base = ownCgroup();
    try {
      if (base) makeCgroup(base, 2 ** 30).remove();
      probed = { base };
    } catch {
      probed = {};
    }
  }
  if (!probed.base) return undefined;
  try {
    return makeCgroup(probed.base, Math.floor(memoryMb * 2 ** 20));
  } catch {
    return undefined;
  }
}

/** Which limit holds here, for the sandbox line of every run. */
export function memoryCapKind(): MemoryCapKind {
  const probe = memoryCgroup(1024);
  probe?.remove();
  return probe?.kind ?? 'RLIMIT_DATA';
}
