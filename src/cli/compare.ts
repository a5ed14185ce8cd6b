// `modelbench compare BASELINE CANDIDATE`: the CI gate on saved runs; never re-runs a model.
import fs from 'node:fs';
import { listSuites, SUITES_DIR } from '../bench/suite.js';
import { compare, GATE_DEFAULTS, type Comparison, type GateOptions } from '../compare/gate.js';
import { loadSide, UnusableInput, type LoadedRun } from '../compare/load-runs.js';
import { implementationOf } from '../report/summary.js';
import { pool } from '../compare/pool.js';
import { FORMATS, renderGithubBenchmark, renderJson, renderMarkdown, renderTable, type Format } from '../compare/render.js';
import { writeFileAtomic } from '../report/atomic-write.js';
import { defineCommand, parseCommand, type Values } from './options.js';
import { UsageError } from './usage.js';

type GateFile = Partial<Pick<GateOptions, 'alpha' | 'minEffect'>> & { overrides?: { match: string; minEffect: number }[] };

function checkGate(source: string, g: GateFile): GateFile {
  if (g.alpha !== undefined && !(g.alpha > 0 && g.alpha < 1)) throw new UnusableInput(`${source}: alpha must be in (0, 1), got ${g.alpha}`);
  if (g.minEffect !== undefined && !(g.minEffect >= 0)) throw new UnusableInput(`${source}: minEffect must be >= 0 (0.05 means 5%), got ${g.minEffect}`);
  for (const [i, o] of (g.overrides ?? []).entries()) {
    if (typeof o.match !== 'string' || !(o.minEffect >= 0)) throw new UnusableInput(`${source}: overrides[${i}] needs {"match": "model/workload/size/backend glob", "minEffect": number >= 0}`);
  }
  return g;
}

function suiteGate(suite: string): GateFile {
  if (!listSuites().includes(suite)) return {};
  const raw = JSON.parse(fs.readFileSync(`${SUITES_DIR}/${suite}.json`, 'utf8')) as { gate?: GateFile };
  return raw.gate ? checkGate(`suites/${suite}.json gate`, raw.gate) : {};
}

function merge(base: GateOptions, more: GateFile): GateOptions {
  return {
    alpha: more.alpha ?? base.alpha,
    minEffect: more.minEffect ?? base.minEffect,
    overrides: [...base.overrides, ...(more.overrides ?? [])],
  };
}

export const COMPARE_COMMAND = defineCommand({
  name: 'compare',
  summary: 'The CI gate on saved runs (never re-runs a model): exit 0 no regression, 1 a speed regression or quality failure, 2 unusable input.',
  positionals: 'BASELINE CANDIDATE',
  options: {
    alpha: { type: 'string', value: 'P', default: String(GATE_DEFAULTS.alpha), help: 'significance level of the U test, Holm-corrected over rows' },
    'min-effect': { type: 'string', value: 'FRACTION', default: String(GATE_DEFAULTS.minEffect), help: 'smallest slowdown that counts (0.05 = 5%)' },
    override: { type: 'string', value: 'GLOB=EFFECT', multiple: true, help: 'a minimum effect for rows matching model/workload/size/backend' },
    config: { type: 'string', value: 'FILE', help: 'a gate JSON: {"alpha", "minEffect", "overrides": [{"match", "minEffect"}]}' },
    format: { type: 'string', value: FORMATS.join('|'), default: 'table', help: 'output format' },
    output: { type: 'string', value: 'FILE', help: 'write the output there instead of stdout' },
    'baseline-impl': { type: 'string', value: 'NAME', help: "compare this implementation's rows of BASELINE (with --candidate-impl: two implementations of one run, timed side by side)" },
    'candidate-impl': { type: 'string', value: 'NAME', help: "against this implementation's rows of CANDIDATE (BASELINE and CANDIDATE may be the same run)" },
  },
});

/** Only the named implementation's rows ('modelbench': ours), keyed alike on both sides so they pair up. */
function onlyImplementation(runs: LoadedRun[], name: string, as: string, side: string): LoadedRun[] {
  const out = runs.map((run) => ({
    ...run,
    rows: run.rows
      .filter((r) => implementationOf(r) === name)
      .map((r) => (name === 'modelbench' ? r : { ...r, backend: `impl:${as}`, implementation: as })),
  }));
  if (out.every((r) => r.rows.length === 0)) {
    const names = [...new Set(runs.flatMap((run) => run.rows.map(implementationOf)))];
    throw new UnusableInput(`${side} has no rows of implementation '${name}'; it has: ${names.join(', ')}`);
  }
  return out;
}

/** What the gate decided: the CLI prints `text`, the library API returns the whole object. */
export interface CompareOutcome {
  /** 0 no regression, 1 a speed regression or quality failure, 2 unusable input. */
  readonly code: number;
  readonly result?: Comparison;
  /** The rendering in the chosen format, or why the input is unusable (code 2). */
  readonly text: string;
}

export async function compareCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(COMPARE_COMMAND, argv);
  const outcome = executeCompare(values, positionals, !values.output && Boolean(process.stdout.isTTY));
  if (outcome.code === 2) process.stderr.write(`modelbench compare: ${outcome.text}\n`);
  else if (!values.output) process.stdout.write(outcome.text);
  return outcome.code;
}

export function executeCompare(values: Values<typeof COMPARE_COMMAND.options>, positionals: readonly string[], colour = false): CompareOutcome {
  if (positionals.length !== 2) throw new UsageError(`compare needs two runs, BASELINE and CANDIDATE, got ${positionals.length}; see modelbench compare --help`);
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown --format '${values.format}'; valid: ${FORMATS.join(', ')}`);
  try {
    const pick = values['baseline-impl'] !== undefined || values['candidate-impl'] !== undefined;
    if (pick && (values['baseline-impl'] === undefined || values['candidate-impl'] === undefined)) throw new UsageError('--baseline-impl and --candidate-impl go together: name the implementation of each side');
    const as = values['candidate-impl']!;
    const allowMixed = pick && positionals[0] === positionals[1];
    const baseline = pool(pick ? onlyImplementation(loadSide(positionals[0], { allowMixed }), values['baseline-impl']!, as, 'BASELINE') : loadSide(positionals[0]));
    const candidate = pool(pick ? onlyImplementation(loadSide(positionals[1], { allowMixed }), as, as, 'CANDIDATE') : loadSide(positionals[1]));
    let options = merge(GATE_DEFAULTS, suiteGate(candidate.runs[0].context.suite));
    if (values.config) {
      let raw: GateFile;
      try {
        raw = JSON.parse(fs.readFileSync(values.config, 'utf8')) as GateFile;
      } catch (e) {
        throw new UnusableInput(`${values.config}: cannot read the gate config (${e instanceof Error ? e.message : String(e)})`);
      }
      options = merge(options, checkGate(values.config, raw));
    }
    const cli: GateFile = {
      alpha: values.alpha === undefined ? undefined : Number(values.alpha),
      minEffect: values['min-effect'] === undefined ? undefined : Number(values['min-effect']),
      overrides: (values.override ?? []).map((o) => {
        const at = o.lastIndexOf('=');
        if (at <= 0) throw new UsageError(`--override '${o}': expected GLOB=EFFECT, e.g. 'logreg/fit/*/webgpu=0.2'`);
        return { match: o.slice(0, at), minEffect: Number(o.slice(at + 1)) };
      }),
    };
    options = merge(options, checkGate('command line', cli));
    const result = compare(baseline, candidate, options);
    if (result.speed.length === 0 && result.quality.length === 0) {
      // A gate that compared nothing must not pass.
      const sample = (keys: readonly string[]) => (keys.length === 0 ? 'none' : `${keys.slice(0, 3).join(', ')}${keys.length > 3 ? `, ... (${keys.length})` : ''}`);
      throw new UnusableInput(`no row is in both runs: baseline has ${sample(result.onlyInBaseline)}; candidate has ${sample(result.onlyInCandidate)}. Compare runs of the same suite (rows match by model/workload/size/backend)`);
    }
    const text =
      format === 'table'
        ? renderTable(result, colour)
        : format === 'markdown'
          ? renderMarkdown(result)
          : format === 'json'
            ? renderJson(result)
            : renderGithubBenchmark(candidate);
    if (values.output) writeFileAtomic(values.output, text);
    return { code: result.regressions + result.qualityFailures === 0 ? 0 : 1, result, text };
  } catch (e) {
    if (e instanceof UnusableInput) return { code: 2, text: e.message };
    throw e;
  }
}
