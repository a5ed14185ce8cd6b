// Every command has its own --help, printed from the option table that parses it; a bad option is a
// one-line usage error (exit 2) that points at --help, never a stack trace.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { BACKENDS_COMMAND } from '../../src/cli/backends.js';
import { BISECT_COMMAND } from '../../src/cli/bisect.js';
import { CALIBRATE_COMMAND } from '../../src/cli/calibrate.js';
import { HISTORY_COMMAND } from '../../src/cli/history.js';
import { COMPARE_COMMAND } from '../../src/cli/compare.js';
import { FIT_COMMAND } from '../../src/cli/fit.js';
import { MATMUL_COMMAND } from '../../src/cli/matmul.js';
import { helpText } from '../../src/cli/options.js';
import { REPORT_COMMAND } from '../../src/cli/report.js';
import { SCORECARD_COMMAND } from '../../src/cli/scorecard.js';
import { RUN_COMMAND } from '../../src/cli/run.js';
import { VALIDATE_COMMAND } from '../../src/cli/validate.js';
import { BIN, modelbench } from '../helpers/cli.js';
import { REPO } from '../helpers/data.js';

const COMMANDS = [BACKENDS_COMMAND, RUN_COMMAND, COMPARE_COMMAND, REPORT_COMMAND, SCORECARD_COMMAND, FIT_COMMAND, VALIDATE_COMMAND, MATMUL_COMMAND, HISTORY_COMMAND, BISECT_COMMAND, CALIBRATE_COMMAND];

describe('help and option errors', () => {
  it('prints --help for every command, listing every option of its table, and exits 0', () => {
    // `modelbench NAME --help` prints helpText(NAME's table) and exits 0, by the same lines of main.ts
    // for every command: one start of the launcher (bin/modelbench.mjs, through tsx) shows that wiring,
    // and each command's text is checked in-process (a start costs seconds; ten of them were 20 s).
    const started = modelbench([BISECT_COMMAND.name, '--help'], { bin: BIN });
    assert.equal(started.code, 0, `${BISECT_COMMAND.name}: ${started.stderr}`);
    assert.equal(started.stdout, helpText(BISECT_COMMAND));
    for (const spec of COMMANDS) {
      const stdout = helpText(spec);
      assert.match(stdout, new RegExp(`^usage: modelbench ${spec.name}`));
      for (const option of Object.keys(spec.options)) assert.ok(stdout.includes(`--${option}`), `${spec.name} --help does not list --${option}`);
    }
  });

  it('lists the gpu suite and the GAN where they exist, and the options of each model under fit', () => {
    assert.match(modelbench(['run', '--help']).stdout, /--suite [a-z|-]*\bgpu\b/);
    const fit = modelbench(['fit', '--help']).stdout;
    assert.match(fit, /logreg\|svm\|vae\|gan/);
    assert.match(fit, /gan:\n(\s+--[a-z-]+ .*\n)*\s+--lr/);
  });

  it('refuses an unknown option and a bad seed with one line that says what to do', () => {
    const unknown = modelbench(['run', '--bogus']);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "modelbench run: Unknown option '--bogus'; see modelbench run --help\n");
    const seed = modelbench(['fit', '--model', 'logreg', '--data', 'x.csv', '--seed', 'abc']);
    assert.equal(seed.code, 2);
    assert.equal(seed.stderr, "modelbench fit: --seed must be a whole number from 0 to 4294967295, got 'abc'\n");
    const noRuns = modelbench(['compare', 'only-one']);
    assert.equal(noRuns.code, 2);
    assert.match(noRuns.stderr, /compare needs two runs, BASELINE and CANDIDATE, got 1; see modelbench compare --help/);
  });

  it('the gate calibration command has the same --help and one-line errors', () => {
    // Started, not in-process: this shows main.ts dispatches to it (the loop above reads its table only).
    const h = modelbench(['calibrate', '--help'], { timeoutMs: 60_000 });
    const help = { status: h.code, stdout: h.stdout, stderr: h.stderr };
    assert.equal(help.status, 0, help.stderr);
    for (const option of ['pairs', 'repeat', 'suite', 'backends', 'inject', 'out', 'judge', 'earlier', 'mark']) assert.ok(help.stdout.includes(`--${option}`), `--${option}`);
    const r = modelbench(['calibrate', '--inject', '*/cpu', '--out', path.join(REPO, 'never-written')], { timeoutMs: 60_000 });
    const bad = { status: r.code, stderr: r.stderr };
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^modelbench calibrate: --inject: .*'\*\/cpu' is not GLOB=FRACTION .*\n$/);
    assert.ok(help.stdout.includes('--measure time|instructions'));
    const never = path.join(REPO, 'never-written');
    for (const [args, message] of [
      [['--inject', '*=2'], /^modelbench calibrate: --inject '\*=2': a counted calibration takes GLOB=FRACTION .*\n$/],
      [['--backends', 'webgpu'], /^modelbench calibrate: unknown backend 'webgpu'; valid backends: cpu, wasm\n$/],
      [['--mark'], /^modelbench calibrate: --mark is for the timed calibration; drop it with --measure instructions\n$/],
    ] as const) {
      const counted = modelbench(['calibrate', '--measure', 'instructions', '--out', never, ...args], { timeoutMs: 60_000 });
      assert.equal(counted.code, 2, counted.stderr);
      assert.match(counted.stderr, message);
    }
    const measure = modelbench(['calibrate', '--measure', 'cycles', '--out', never], { timeoutMs: 60_000 });
    assert.match(measure.stderr, /^modelbench calibrate: --measure cycles: a calibration measures time or instructions/);
    assert.ok(!fs.existsSync(never));
  });
});
