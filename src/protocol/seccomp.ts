// A seccomp filter for code under test, handed to bwrap (--seccomp FD): the calls that reach into
// another process's memory — ptrace, process_vm_readv, process_vm_writev — fail with EPERM. The
// sandbox's own PID namespace already hides the harness; this keeps code under test from tracing even
// the processes inside it (bwrap's init among them). A classic BPF program, assembled here because
// Debian's bwrap takes the compiled form and libseccomp's compiler is not a dependency.

const LOAD_WORD = 0x20; // BPF_LD | BPF_W | BPF_ABS
const JUMP_EQUAL = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const JUMP_AT_LEAST = 0x35; // BPF_JMP | BPF_JGE | BPF_K
const RETURN = 0x06; // BPF_RET | BPF_K
const ALLOW = 0x7fff0000;
const DENY_EPERM = 0x00050000 | 1;
/** Offsets in struct seccomp_data. */
const NR_OFFSET = 0;
const ARCH_OFFSET = 4;

interface Arch {
  readonly audit: number;
  /** ptrace, process_vm_readv, process_vm_writev. */
  readonly denied: readonly number[];
  /** The first number of another ABI on this architecture (x32 on x86-64), all denied; none elsewhere. */
  readonly otherAbiFrom?: number;
}

const ARCHES: Readonly<Record<string, Arch>> = {
  x64: { audit: 0xc000003e, denied: [101, 310, 311], otherAbiFrom: 0x40000000 },
  arm64: { audit: 0xc00000b7, denied: [117, 270, 271] },
};

type Instruction = readonly [code: number, jt: number, jf: number, k: number];

/**
 * The compiled filter for this machine's architecture; undefined where none is written (the sandbox then goes without).
 */
export function seccompProgram(arch: string = process.arch): Buffer | undefined {
  const a = ARCHES[arch];
  if (!a) return undefined;
  const checks: Instruction[] = [];
  if (a.otherAbiFrom !== undefined) checks.push([JUMP_AT_LEAST, 0, 0, a.otherAbiFrom]);
  for (const nr of a.denied) checks.push([JUMP_EQUAL, 0, 0, nr]);
  // Each check jumps over the rest and the ALLOW to the DENY at the end.
  const jumps: Instruction[] = checks.map(([code, , , k], i) => [code, checks.length - i, 0, k]);
  const program: Instruction[] = [
    [LOAD_WORD, 0, 0, ARCH_OFFSET],
    // Another architecture's calls (a 32-bit binary) are not these numbers: allow them, as without the filter.
    [JUMP_EQUAL, 0, jumps.length + 1, a.audit],
    [LOAD_WORD, 0, 0, NR_OFFSET],
    ...jumps,
    [RETURN, 0, 0, ALLOW],
    [RETURN, 0, 0, DENY_EPERM],
  ];
  const out = Buffer.alloc(program.length * 8);
  program.forEach(([code, jt, jf, k], i) => {
    out.writeUInt16LE(code, i * 8);
    out.writeUInt8(jt, i * 8 + 2);
    out.writeUInt8(jf, i * 8 + 3);
    out.writeUInt32LE(k, i * 8 + 4);
  });
  return out;
}
