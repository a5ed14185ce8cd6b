// The modelbench command line: one file per command, dispatched here; each command's --help comes
// from the same option table that parses it (options.ts).
import { BACKENDS_COMMAND, backendsCommand } from './backends.js';
import { COMPARE_COMMAND, compareCommand } from './compare.js';
import { FIT_COMMAND, fitCommand } from './fit.js';
import { MATMUL_COMMAND, matmulCommand } from './matmul.js';
import { helpText, wantsHelp, type CommandSpec } from './options.js';
import { REPORT_COMMAND, reportCommand } from './report.js';
import { RUN_COMMAND, runCommand } from './run.js';
import { SCORECARD_COMMAND, scorecardCommand } from './scorecard.js';
import { UsageError } from './usage.js';
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
];

function usage(): string {
  return ['usage: modelbench <command> [options]   (modelbench <command> --help for its options)', '', ...COMMANDS.flatMap((c) => [`  ${c.spec.name.padEnd(9)} ${c.spec.summary}`])].join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.spec.name === name);
  if (!command) {
    process.stderr.write(`modelbench: unknown command '${name}'; commands: ${COMMANDS.map((c) => c.spec.name).join(', ')}\n`);
    return 2;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(helpText(command.spec));
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`modelbench ${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`modelbench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
