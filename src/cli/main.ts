// The modelbench command line: one file per command, dispatched here.
import { backendsCommand } from './backends.js';
import { compareCommand } from './compare.js';
import { fitCommand } from './fit.js';
import { matmulCommand } from './matmul.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { UsageError } from './usage.js';
import { validateCommand } from './validate.js';

const COMMANDS: Readonly<Record<string, { run: (argv: string[]) => Promise<number>; help: string }>> = {
  backends: { run: backendsCommand, help: 'backends [--json]                       list every backend, available or not, and why' },
  run: { run: runCommand, help: 'run [--suite smoke|quick|standard|full|peers] [--models a,b] [--backends a,b] [--out DIR] [--seed N] [--skip-peers] [--repeat N] [--interleave BASELINE_CHECKOUT]' },
  compare: { run: compareCommand, help: 'compare BASELINE CANDIDATE [--alpha 0.01] [--min-effect 0.05] [--override GLOB=EFFECT] [--config FILE] [--format table|markdown|json|github-benchmark] [--output FILE]' },
  report: { run: reportCommand, help: 'report RUN... --out report.html [--format html|csv] [--baseline-machine "host (cpu xN)"]' },
  fit: { run: fitCommand, help: 'fit --model logreg|svm|vae --data FILE.csv|NAME [--label COL] [model options, e.g. --C 1 or --epochs 1] [--backend NAME] [--json]' },
  validate: { run: validateCommand, help: 'validate --model logreg|svm|vae|gan --impl MODULE.mjs|"COMMAND" [--checks a,b] [--data NAME|FILE.csv] [--report DIR] [--timeout 120] [--memory 4096]  conformance checks of anyone\'s implementation' },
  matmul: { run: matmulCommand, help: 'matmul [--backend wasm] [--sizes 256,1024,4096] [--out DIR]  float32 n x n products: GFLOP/s, first run apart, checked' },
};

function usage(): string {
  return ['usage: modelbench <command> [options]', '', ...Object.values(COMMANDS).map((c) => `  modelbench ${c.help}`)].join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`modelbench: unknown command '${name}'; commands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
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
