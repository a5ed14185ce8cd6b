// `modelbench bisect GOOD BAD --row PATTERN`: the first commit at which one row got slower, each
// probed commit built in its own git worktree and only that row's cell timed (src/history/bisect.ts).
import fs from 'node:fs';
import { rowKey, type LoadedRun } from '../results/load-runs.js';
import { bisectRange, parseCell, scratchDir, searchFirstSlower, type BisectCommit } from '../history/bisect.js';
import { baselineMeasured, DEFAULT_MIN_EFFECT, judgeProbe, MEASURES } from '../history/bisect-judge.js';
import type { Measure, ProbeVerdict } from '../history/bisect-judge.js';
import { probeCommit, rowKeyOf, type ProbeSetup } from '../history/bisect-probe.js';
import { HistoryError, UsageError } from '../errors.js';
import { defineCommand, parseCommand, type Values } from './options.js';

export const BISECT_COMMAND = defineCommand({
  name: 'bisect',
  summary:
    'Finds the first commit between GOOD and BAD at which one row is ' +
    'slower than at GOOD, building and timing at most ceil(log2 n) + 1 ' +
    'commits.',
  positionals: 'GOOD BAD',
  options: {
    row: {
      type: 'string',
      value: 'M/W/SIZE[/BACKEND]',
      help: "the cell to time, e.g. 'logreg/predict/rows=2000;cols=10/wasm' (required; a backend unless --impl)",
    },
    impl: {
      type: 'string',
      value: 'NAME=PATH',
      help: "time the implementation under test at PATH inside the bisected repository, with this modelbench's harness",
    },
    repo: { type: 'string', value: 'DIR', default: '.', help: 'the git checkout to bisect' },
    measure: {
      type: 'string',
      value: MEASURES.join('|'),
      default: 'time',
      help:
        "time the row (the gate's U test), or count its instructions (`run --measure instructions`, valgrind; " +
        'our cpu and wasm rows; judged by the counted gate on estimated cycles per call)',
    },
    'min-effect': {
      type: 'string',
      value: 'X',
      fallback: `${DEFAULT_MIN_EFFECT.time} for time, ${DEFAULT_MIN_EFFECT.instructions} for instructions`,
      help: "the gate's smallest slowdown that counts (0.05: 5%)",
    },
    'time-ms': { type: 'string', value: 'MS', default: '1000', help: 'time budget of the cell at each commit' },
    'npm-cache': {
      type: 'string',
      value: 'DIR',
      help: "npm's cache for every commit's npm ci (default: npm's own, shared)",
    },
    keep: { type: 'boolean', help: "keep the scratch folder with every probe's run" },
    'no-sandbox': { type: 'boolean', help: 'run the implementation under test without the bwrap sandbox' },
  },
});

type BisectValues = Values<typeof BISECT_COMMAND.options>;

function positiveNumber(raw: string, option: string, ok: (x: number) => boolean, rule: string): number {
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x) || !ok(x))
    throw new UsageError(`${option} must be ${rule}, got '${raw}'`);
  return x;
}

function setupFrom(values: BisectValues, scratch: string): ProbeSetup {
  if (!values.row)
    throw new UsageError("--row is required: the one cell to time, e.g. --row 'logreg/predict/rows=2000;cols=10/wasm'");
  const cell = parseCell(values.row);
  const at = values.impl?.indexOf('=') ?? -1;
  if (values.impl !== undefined && at <= 0)
    throw new UsageError(
      `--impl '${values.impl}': expected NAME=PATH, ` + `the module's path inside the bisected repository`,
    );
  if (values.impl === undefined && !cell.backend)
    throw new UsageError(
      `--row '${values.row}' names no backend: add it (…/wasm), ` + `or time an implementation with --impl NAME=PATH`,
    );
  return {
    repo: values.repo!,
    scratch,
    cell,
    impl: values.impl ? { name: values.impl.slice(0, at), path: values.impl.slice(at + 1) } : undefined,
    timeMs: positiveNumber(
      values['time-ms']!,
      '--time-ms',
      (x) => x > 0 && x <= 600_000,
      'a number of ms above 0 and at most 600000',
    ),
    noSandbox: Boolean(values['no-sandbox']),
    npmCache: values['npm-cache'],
    measure: measureOf(values),
  };
}

function measureOf(values: BisectValues): Measure {
  const measure = values.measure as Measure;
  if (!MEASURES.includes(measure)) throw new UsageError(`--measure '${values.measure}': valid: ${MEASURES.join(', ')}`);
  return measure;
}

const short = (c: BisectCommit) => `${c.sha.slice(0, 7)} "${c.subject.slice(0, 60)}"`;

/** Times commits on demand, once each, and says what each probe measured. */
class Prober {
  readonly runs = new Map<number, LoadedRun>();
  builds = 0;
  skipped = 0;

  constructor(
    private setup: ProbeSetup,
    private readonly commits: readonly BisectCommit[],
    private readonly minEffect: number,
  ) {}

  measure(i: number): LoadedRun | string {
    this.builds++;
    const { run, why } = probeCommit(this.setup, this.commits[i]);
    if (!run) {
      this.skipped++;
      return why!;
    }
    this.runs.set(i, run);
    // Counts compare over equal spans only: every later probe is counted over GOOD's.
    const span =
      i === 0 && this.setup.measure === 'instructions'
        ? run.rows.find((r) => rowKey(r) === rowKeyOf(this.setup))?.countedCalls
        : undefined;
    if (span !== undefined) this.setup = { ...this.setup, countSpan: span };
    return run;
  }

  /** Commit i against commit `from` (GOOD unless said), by the measure asked for. */
  judged(i: number, from = 0): ProbeVerdict {
    const against = from === 0 ? 'GOOD' : short(this.commits[from]);
    const [base, probe] = [this.runs.get(from)!, this.runs.get(i)!];
    return judgeProbe(this.setup.measure, base, probe, rowKeyOf(this.setup), this.minEffect, against);
  }

  probe(i: number): 'slower' | 'not slower' | 'skipped' {
    const got = this.measure(i);
    if (typeof got === 'string') {
      process.stdout.write(`  ${short(this.commits[i])}: skipped: ${got}\n`);
      return 'skipped';
    }
    const v = this.judged(i);
    if (v.outcome === 'skipped') {
      this.skipped++;
      this.runs.delete(i);
    }
    const skipped = v.outcome === 'skipped' ? 'skipped: ' : '';
    process.stdout.write(`  ${short(this.commits[i])}: ${skipped}${v.measured}: ${v.verdict}\n`);
    return v.outcome;
  }
}

type Found = Awaited<ReturnType<typeof searchFirstSlower>>;

/** The first slower commit, with the gate's verdict at the boundary and the skips that may hide the step. */
function printFound(prober: Prober, commits: readonly BisectCommit[], found: Found, n: number): void {
  const boundary =
    prober.runs.has(found.lastGood) && prober.runs.has(found.firstSlower)
      ? prober.judged(found.firstSlower, found.lastGood)
      : undefined;
  process.stdout.write(
    `first slower commit: ${short(commits[found.firstSlower])}: ` +
      `${boundary ? boundary.relative : `? against ${short(commits[found.lastGood])}`}; ` +
      `gate: ${boundary?.verdict ?? 'not judged'}\n`,
  );
  if (found.skippedBetween.length > 0) {
    process.stdout.write(
      `  the step may lie earlier: ` +
        `${found.skippedBetween.map((i) => short(commits[i])).join(', ')}` +
        ` between them could not be timed\n`,
    );
  }
  process.stdout.write(
    `${prober.builds} build(s), ${prober.skipped} skipped (bound ` +
      `${Math.ceil(Math.log2(n)) + 1} for ${n} commits, skips not counted)\n`,
  );
}

async function bisect(good: string, bad: string, values: BisectValues, scratch: string): Promise<number> {
  const setup = setupFrom(values, scratch);
  const given = values['min-effect'];
  const minEffect =
    given === undefined
      ? DEFAULT_MIN_EFFECT[setup.measure]
      : positiveNumber(given, '--min-effect', (x) => x >= 0, 'a number >= 0 (0.05 means 5%)');
  const commits = bisectRange(setup.repo, good, bad);
  const n = commits.length - 1;
  if (n < 1) throw new UsageError(`BAD ${bad} is GOOD ${good}: nothing to bisect; give a later BAD`);
  process.stdout.write(
    `bisect ${commits[0].sha.slice(0, 7)}..${commits[n].sha.slice(0, 7)}: ${n} commit(s), row ${rowKeyOf(setup)}; ` +
      `at most ${Math.ceil(Math.log2(n)) + 1} builds\n`,
  );
  const prober = new Prober(setup, commits, minEffect);
  const base = prober.measure(0);
  if (typeof base === 'string')
    throw new UsageError(`GOOD ${short(commits[0])} ${base}; give a GOOD commit that builds and runs the row`);
  process.stdout.write(`  ${short(commits[0])} (GOOD): ${baselineMeasured(setup.measure, base, rowKeyOf(setup))}\n`);
  const found = await searchFirstSlower(n, async (i) => prober.probe(i));
  if (found.firstSlower === n && !prober.runs.has(n)) {
    process.stdout.write(
      `  BAD itself is the candidate: ${setup.measure === 'time' ? 'timing' : 'counting'} it for the verdict\n`,
    );
    const outcome = prober.probe(n);
    if (outcome === 'skipped') {
      throw new UsageError(
        `BAD ${short(commits[n])} cannot be judged against GOOD (above); give a BAD commit that builds and ` +
          `runs the row${setup.measure === 'instructions' ? ', counted over the span GOOD was' : ''}`,
      );
    }
    if (outcome !== 'slower') {
      process.stdout.write(
        `BAD ${short(commits[n])} is not slower than GOOD at this row (gate: ` +
          `${prober.runs.has(n) ? prober.judged(n).verdict : 'not judged'}): nothing to find\n`,
      );
      return 1;
    }
  }
  printFound(prober, commits, found, n);
  return 0;
}

export async function bisectCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(BISECT_COMMAND, argv);
  if (positionals.length !== 2)
    throw new UsageError(
      `bisect needs two commits, GOOD and BAD, got ${positionals.length}; see modelbench bisect --help`,
    );
  const scratch = scratchDir();
  try {
    return await bisect(positionals[0], positionals[1], values, scratch);
  } catch (e) {
    if (e instanceof HistoryError) throw new UsageError(e.message);
    throw e;
  } finally {
    if (values.keep) process.stdout.write(`probes kept in ${scratch}\n`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }
}
