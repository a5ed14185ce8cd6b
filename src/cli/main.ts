// The modelbench command line: one file per command, dispatched here; each command's --help comes
// from the same option table that parses it (options.ts).
import { UnusableInput, DataError, TooBig, CannotStart, UsageError } from '../errors.js';
import { loadModelModules } from '../models/registry.js';
import { BACKENDS_COMMAND, backendsCommand } from './backends.js';
import { BISECT_COMMAND, bisectCommand } from './bisect.js';
import { CALIBRATE_COMMAND, calibrateCommand } from './calibrate.js';
import { COMPARE_COMMAND, compareCommand } from './compare.js';
import { FIT_COMMAND, fitCommand } from './fit.js';
import { HISTORY_COMMAND, historyCommand } from './history.js';
import { MATMUL_COMMAND, matmulCommand } from './matmul.js';
import { helpText, wantsHelp, type CommandSpec } from './options.js';
import { REPORT_COMMAND, reportCommand } from './report.js';
import { RUN_COMMAND, runCommand } from './run.js';
import { SCORECARD_COMMAND, scorecardCommand } from './scorecard.js';
import { VALIDATE_COMMAND, validateCommand } from './validate.js';

const COMMANDS: readonly { spec: CommandSpec; run: (argv: string[]) => Promise<number> }[] = [
  { spec: BACKENDS_COMMAND, run: backendsCommand },
  { spec: RUN_COMMAND, run: runCommand },
  { spec: COMPARE_COMMAND, run: compareCommand },
  { spec: REPORT_COMMAND, run: reportCommand },
  { spec: SCORECARD_COMMAND, run: scorecardCommand },
  { spec: FIT_COMMAND, run: fitCommand },
  { spec: VALIDATE_COMMAND, run: validateCommand },
  { spec: MATMUL_COMMAND, run: matmulCommand },
  { spec: HISTORY_COMMAND, run: historyCommand },
  { spec: BISECT_COMMAND, run: bisectCommand },
  { spec: CALIBRATE_COMMAND, run: calibrateCommand },
];

function usage(): string {
  return (
    [
      'usage: modelbench <command> [options]   (modelbench <command> --help ' + 'for its options)',
      '',
      ...COMMANDS.flatMap((c) => [`  ${c.spec.name.padEnd(9)} ${c.spec.summary}`]),
    ].join('\n') + '\n'
  );
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.spec.name === name);
  if (!command) {
    process.stderr.write(
      `modelbench: unknown command '${name}'; commands: ` + `${COMMANDS.map((c) => c.spec.name).join(', ')}\n`,
    );
    return 2;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(helpText(command.spec));
    return 0;
  }
  try {
    await loadModelModules();
    return await command.run(rest);
  } catch (e) {
    const { code, line } = describeError(e);
    process.stderr.write(`modelbench ${name}: ${line}\n`);
    return code;
  }
}

/** Errors the user can fix by changing an input or an option: one line, exit 2. */
const USER_ERRORS: readonly (abstract new (...args: never[]) => Error)[] = [
  UsageError,
  UnusableInput,
  DataError,
  TooBig,
  CannotStart,
];

/** What a file-system error means to someone who named the path (Node's own message names the syscall instead). */
const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a file stands where a folder is expected: give the folder',
  EISDIR: 'a folder stands where a file is expected: give the file',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the file system is read-only',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  ENOSPC: 'the disk is full',
  EMFILE: 'too many open files',
};

/**
 * The one mapping from an error to what the user sees: a line and an exit code. A user's mistake (a
 * usage error, an unusable file, a path of the wrong kind) is exit 2; anything else is a bug in
 * modelbench, exit 1, and its stack is shown only when asked for (MODELBENCH_DEBUG=1).
 */
export function describeError(e: unknown): { code: number; line: string } {
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, '; ');
  if (USER_ERRORS.some((kind) => e instanceof kind)) return { code: 2, line: oneLine((e as Error).message) };
  const sys = e as { code?: unknown; path?: unknown; syscall?: unknown };
  if (e instanceof Error && typeof sys.code === 'string' && typeof sys.path === 'string' && FS_REASONS[sys.code]) {
    return { code: 2, line: `${sys.path} (${sys.code}): ${FS_REASONS[sys.code]}` };
  }
  if (process.env.MODELBENCH_DEBUG === '1' && e instanceof Error && e.stack) return { code: 1, line: e.stack };
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { code: 1, line: oneLine(`internal error (a bug in modelbench; MODELBENCH_DEBUG=1 shows where): ${what}`) };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`modelbench: ${describeError(e).line}\n`);
    process.exit(describeError(e).code);
  },
);
