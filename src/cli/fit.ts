// `modelbench fit --model NAME --data FILE.csv [...]`: fits the reference implementation to a
// user's data on one backend and reports the parameters and the oracle's verdict on them.
import fs from 'node:fs';
import { BACKENDS } from '../backends/registry.js';
import { makeProgress } from '../timing/progress.js';
import { readLabelledCsv } from '../data/csv-table.js';
import { DataError, BackendUnavailable, UsageError } from '../errors.js';
import { describeRangeProblem, float32RangeProblem } from '../data/float32-range.js';
import { MODELS, modelByName } from '../models/registry.js';
import { fmt, textTable } from '../format.js';
import { DEFAULT_BASE_SEED, seedsFrom, type Seeds } from '../seeds.js';
import { type BackendSpec, type Dataset } from '../types.js';
import { type ModelSpec } from '../models/spec.js';
import { limitsFrom, parseImplOption, type Implementation } from '../protocol/implementation.js';
import { Session } from '../protocol/session.js';
import { CannotStart, ImplementationError } from '../errors.js';
import { ganTrainConfig } from '../models/gan/index.js';
import { ganTwinProblem } from '../models/gan/gan-twin.js';
import { vaeTrainConfig } from '../models/vae/index.js';
import { vaeTwinProblem } from '../models/vae/vae-twin.js';
import { firstDivergence, runTwin, TWIN_TOLERANCE, type TwinProblem, type TwinReport } from '../models/twin.js';
import { fitOverSeeds, renderSeedsReport } from './fit-seeds.js';
import { chooseSandbox, parseBinds } from './validate.js';
import { defineCommand, MAX_SEED, parseCount, parseSeed } from './options.js';
import { inProcessBackend, parseOpenOptions } from './usage.js';

/** Each model's quality measures that vary with the seed, as --seeds's help names them. */
const QUALITY_MEASURES = MODELS.flatMap((m) =>
  m.qualityMetrics ? [`${m.name}: ${Object.keys(m.qualityMetrics).join(', ')}`] : [],
).join('; ');
/** The models whose training can be followed step by step beside an implementation's (fit --twin). */
const TWINS: Readonly<
  Record<string, (data: Dataset, options: Readonly<Record<string, string>>, seeds: Seeds, steps: number) => TwinProblem>
> = {
  gan: (data, options, seeds, steps) => ganTwinProblem(data, { ...ganTrainConfig(data, options), steps }, seeds),
  vae: (data, options, seeds, steps) => vaeTwinProblem(data, { ...vaeTrainConfig(data, options), steps }, seeds),
};
/** Tens of steps: float32 rounding alone keeps the twins within the tolerance that long (docs/models.md). */
const DEFAULT_TWIN_STEPS = 50;
const MAX_TWIN_STEPS = 10000;
/** One twin request is one training step or a parameter read-back. */
const TWIN_REQUEST_TIMEOUT_MS = 10 * 60 * 1000;

/** wasm is the fastest backend every machine of this kind has. */
export const DEFAULT_FIT_BACKEND = 'wasm';
export const FIT_COMMAND = defineCommand({
  name: 'fit',
  summary:
    'Fits the reference implementation to your data on one backend and prints the parameters and ' +
    "the float64 oracle's verdict on them.",
  options: {
    model: { type: 'string', value: MODELS.map((m) => m.name).join('|'), help: 'the model (required)' },
    data: {
      type: 'string',
      value: 'FILE.csv|NAME',
      help: 'a CSV with a header row, or a dataset the model knows by name (required)',
    },
    label: { type: 'string', value: 'COLUMN', help: 'the label column of a CSV (default: the last)' },
    backend: {
      type: 'string',
      value: BACKENDS.filter((b) => !b.host)
        .map((b) => b.name)
        .join('|'),
      default: DEFAULT_FIT_BACKEND,
      help: 'the backend',
    },
    seed: {
      type: 'string',
      value: 'N',
      default: String(DEFAULT_BASE_SEED),
      help: 'base seed (data splits, init, sampling)',
    },
    json: { type: 'boolean', default: false, help: 'print JSON' },
    seeds: {
      type: 'string',
      value: 'N',
      default: '1',
      help:
        "fit N times, with the seeds --seed, --seed + 1, ...: the distribution of the model's quality measures " +
        `(${QUALITY_MEASURES})`,
    },
    impl: {
      type: 'string',
      value: 'NAME|NAME=TARGET',
      help:
        'with --seeds: train an implementation under test the same way on the same seeds (a bundled name such as ' +
        'pytorch-1-thread, or a module/command) and test whether ours is worse (one-sided Mann-Whitney, p < 0.05)',
    },
    twin: {
      type: 'string',
      value: 'NAME|NAME=TARGET',
      help:
        `twin trajectories (${Object.keys(TWINS).join(', ')}): ours and the implementation from the same ` +
        'parameters, real batches and noise, step by step; prints per step the largest relative difference of ' +
        `the parameters and of V (exit 1 past ${TWIN_TOLERANCE})`,
    },
    'twin-steps': {
      type: 'string',
      value: 'K',
      default: String(DEFAULT_TWIN_STEPS),
      help: 'with --twin: training steps to follow',
    },
    'no-sandbox': {
      type: 'boolean',
      default: false,
      help: 'run the --impl or --twin implementation without the bwrap sandbox (required where none exists)',
    },
    'sandbox-bind': {
      type: 'string',
      value: 'PATH',
      multiple: true,
      help: 'also show the --impl or --twin implementation this file or folder, read-only, inside the sandbox',
    },
  },
  more: () => [
    '',
    'model options (after --model NAME):',
    ...MODELS.flatMap((m) => [
      `  ${m.name}:`,
      ...Object.entries(m.fitOptions).map(([k, help]) => `    --${k.padEnd(24)} ${help}`),
      ...Object.entries(m.namedData ?? {}).map(([k, d]) => `    --data ${k.padEnd(19)} ${d.description}`),
    ]),
  ],
});
const COMMON = new Set(Object.keys(FIT_COMMAND.options));
const FLAGS = new Set(
  Object.entries(FIT_COMMAND.options)
    .filter(([, o]) => o.type === 'boolean')
    .map(([k]) => k),
);

/** What the command line asks for, checked once. */
interface FitPlan {
  readonly model: ModelSpec;
  /** The model's own options (after --model NAME). */
  readonly options: Record<string, string>;
  readonly data: string;
  readonly label?: string;
  readonly backend: BackendSpec;
  readonly seed: number;
  readonly replicates: number;
  readonly impl?: Implementation;
  readonly twin?: { readonly impl: Implementation; readonly steps: number };
  readonly json: boolean;
}

function modelOf(values: Record<string, string | true>): ModelSpec {
  const valid = MODELS.map((m) => m.name).join(', ');
  if (typeof values.model !== 'string') throw new UsageError(`--model is required; valid models: ${valid}`);
  const model = modelByName(values.model);
  if (!model) throw new UsageError(`unknown model '${values.model}'; valid models: ${valid}`);
  return model;
}

function modelOptions(model: ModelSpec, values: Record<string, string | true>): Record<string, string> {
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (COMMON.has(key)) continue;
    if (!(key in model.fitOptions)) {
      throw new UsageError(
        `--${key} is not an option of ${model.name}; its options: ${Object.keys(model.fitOptions)
          .map((k) => `--${k}`)
          .join(', ')}`,
      );
    }
    if (typeof value !== 'string') throw new UsageError(`--${key} needs a value`);
    options[key] = value;
  }
  return options;
}

function dataOption(model: ModelSpec, values: Record<string, string | true>): string {
  if (typeof values.data === 'string') return values.data;
  const named = Object.keys(model.namedData ?? {});
  const csvRule = model.capabilities.generative
    ? 'a header row and numeric cells, no label column'
    : 'a header row, numeric cells, a 0/1 or -1/+1 label column';
  throw new UsageError(
    `--data is required: FILE.csv (${csvRule})${named.length > 0 ? ` or one of: ${named.join(', ')}` : ''}`,
  );
}

function implOf(value: string, values: Record<string, string | true>, timeoutMs: number): Implementation {
  const binds = parseBinds(typeof values['sandbox-bind'] === 'string' ? [values['sandbox-bind']] : []);
  return parseImplOption(
    value,
    limitsFrom({ timeoutMs, memoryMb: 16384, sandbox: chooseSandbox(values['no-sandbox'] === true), binds }),
  );
}

/** --seeds, --impl and --twin: which combinations mean something, each refusal one line with its fix. */
function checkModes(model: ModelSpec, values: Record<string, string | true>, seed: number, replicates: number): void {
  // Replicate k uses seed + k: the last one must still be a 32-bit seed.
  if (seed + replicates - 1 > MAX_SEED) {
    throw new UsageError(
      `--seed ${seed} with --seeds ${replicates} reaches seed ${seed + replicates - 1}, beyond ${MAX_SEED}; ` +
        'lower --seed',
    );
  }
  if (values.twin !== undefined) {
    if (!TWINS[model.name])
      throw new UsageError(
        `--twin: ${model.name} has no twin trajectories; models with them: ${Object.keys(TWINS).join(', ')}`,
      );
    if (replicates > 1 || values.impl !== undefined)
      throw new UsageError(
        '--twin follows one seed step by step: drop --seeds and --impl (or run them without --twin)',
      );
    return;
  }
  if (values['twin-steps'] !== undefined) throw new UsageError('--twin-steps needs --twin IMPL');
  if (replicates > 1 || values.impl !== undefined) {
    if (!model.qualityMetrics)
      throw new UsageError(
        `--seeds and --impl apply to models whose quality varies with the seed (${MODELS.filter((m) => m.qualityMetrics)
          .map((m) => m.name)
          .join(', ')}); ${model.name} fits are judged by their optimum instead`,
      );
    if (values.impl !== undefined && replicates < 2)
      throw new UsageError(
        '--impl compares distributions over seeds: give --seeds N with N >= 2 (10 is a useful start)',
      );
    if (typeof values.impl === 'string' && !model.peerFit)
      throw new UsageError(`--impl: ${model.name} has no protocol form of its fit`);
  }
}

function parseFit(argv: string[]): FitPlan {
  const values = parseOpenOptions(argv, FLAGS);
  const model = modelOf(values);
  const options = modelOptions(model, values);
  const data = dataOption(model, values);
  const backend = inProcessBackend(typeof values.backend === 'string' ? values.backend : DEFAULT_FIT_BACKEND, 'fit');
  const seed = parseSeed(typeof values.seed === 'string' ? values.seed : undefined, DEFAULT_BASE_SEED);
  const replicates = typeof values.seeds === 'string' ? parseCount(values.seeds, '--seeds', 1000) : 1;
  checkModes(model, values, seed, replicates);
  const steps =
    typeof values['twin-steps'] === 'string'
      ? parseCount(values['twin-steps'], '--twin-steps', MAX_TWIN_STEPS)
      : DEFAULT_TWIN_STEPS;
  return {
    model,
    options,
    data,
    label: typeof values.label === 'string' ? values.label : undefined,
    backend,
    seed,
    replicates,
    impl: typeof values.impl === 'string' ? implOf(values.impl, values, PEER_FIT_TIMEOUT_MS) : undefined,
    twin:
      typeof values.twin === 'string'
        ? { impl: implOf(values.twin, values, TWIN_REQUEST_TIMEOUT_MS), steps }
        : undefined,
    json: values.json === true,
  };
}

/** The data for a seed: a named set is drawn per seed, a CSV is read (and checked) once. */
function loaderOf(plan: FitPlan): (seeds: Seeds) => Dataset {
  const named = plan.model.namedData ?? {};
  try {
    const dataset = named[plan.data];
    if (dataset) return dataset.load;
    if (!plan.data.toLowerCase().endsWith('.csv') && !fs.existsSync(plan.data)) {
      const names = Object.keys(named);
      throw new UsageError(
        `--data ${plan.data}: no such file` +
          (names.length ? `, and not a dataset ${plan.model.name} knows by name (${names.join(', ')})` : ''),
      );
    }
    const data = checkedRange(
      readLabelledCsv(plan.data, { label: plan.label, unlabelled: plan.model.capabilities.generative }),
      plan.data,
    );
    return () => data;
  } catch (e) {
    if (e instanceof DataError) throw new UsageError(e.message);
    throw e;
  }
}

function checkedRange(data: Dataset, name: string): Dataset {
  const range = float32RangeProblem(data);
  if (range) throw new UsageError(describeRangeProblem(range, name));
  return data;
}

async function activated(backend: BackendSpec): Promise<ActiveBackend> {
  try {
    return await backend.activate();
  } catch (e) {
    if (e instanceof BackendUnavailable)
      throw new UsageError(`backend ${backend.name} is unavailable: ${e.reason}; fix: ${e.fix}`);
    throw e;
  }
}

type ActiveBackend = Awaited<ReturnType<BackendSpec['activate']>>;

export async function fitCommand(argv: string[]): Promise<number> {
  const plan = parseFit(argv);
  const load = loaderOf(plan);
  if (plan.twin) return twinCommand(plan, load);
  if (plan.replicates > 1) return fitSeeds(plan, load);
  const data = checkedRange(load(seedsFrom(plan.seed)), plan.data);
  const active = await activated(plan.backend);
  if (data.note) process.stderr.write(`note: ${data.note}\n`);
  let outcome;
  try {
    outcome = await executeFit(plan, active, data);
  } catch (e) {
    throw new UsageError(`fit failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (plan.json) process.stdout.write(JSON.stringify(outcome.report, null, 2) + '\n');
  else printHuman(outcome.report, data.featureNames);
  return outcome.converged ? 0 : 1;
}

/** One fit on our backend, judged by the model's float64 oracle: the report fit prints. */
async function executeFit(
  plan: FitPlan,
  active: ActiveBackend,
  data: Dataset,
): Promise<{ report: Record<string, unknown>; converged: boolean }> {
  const { model, options } = plan;
  const progress = makeProgress();
  let started = false;
  const t0 = performance.now();
  const summary = await model.fit(active.tf, data, options, seedsFrom(plan.seed), (done, total, label) => {
    if (!started) progress.start(total, model.capabilities.generative ? 'training steps' : 'solver steps at most');
    started = true;
    progress.update(done, label);
  });
  progress.finish();
  const seconds = (performance.now() - t0) / 1000;
  const verdict = model.judge(data, options, summary);
  const report = {
    model: model.name,
    backend: plan.backend.name,
    backend_version: active.runtime.version,
    device: active.runtime.device,
    data: plan.data,
    rows: data.rows,
    cols: data.cols,
    options,
    objective_name: verdict.objectiveName,
    objective: verdict.objective,
    [`backend_${summary.modelObjectiveName}`]: summary.modelObjective,
    ...verdict.extra,
    ...(data.reference ?? {}),
    ...summary.parameters,
    feature_names: data.featureNames,
    ...(verdict.gradientNorm === undefined ? {} : { gradient_norm: verdict.gradientNorm }),
    iterations: summary.iterations,
    converged: summary.converged,
    message: summary.message,
    seconds,
    ...(summary.trace ? { trace: summary.trace } : {}),
    ...(data.note ? { note: data.note } : {}),
  };
  return { report, converged: summary.converged };
}

async function fitSeeds(plan: FitPlan, load: (seeds: Seeds) => Dataset): Promise<number> {
  const active = await activated(plan.backend);
  let report;
  try {
    const job = {
      model: plan.model,
      tf: active.tf,
      load,
      options: plan.options,
      baseSeed: plan.seed,
      count: plan.replicates,
      impl: plan.impl,
    };
    report = await fitOverSeeds({ ...job, log: (line) => process.stderr.write(`${line}\n`) });
  } catch (e) {
    throw new UsageError(`fit failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out = {
    ...report,
    backend: plan.backend.name,
    backend_version: active.runtime.version,
    device: active.runtime.device,
    data: plan.data,
    options: plan.options,
  };
  process.stdout.write(plan.json ? JSON.stringify(out, null, 2) + '\n' : renderSeedsReport(report) + '\n');
  return report.worse ? 1 : 0;
}

/** Ours and the implementation step by step; its failure is a line of the report (exit 1), not a crash. */
async function twinCommand(plan: FitPlan, load: (seeds: Seeds) => Dataset): Promise<number> {
  const seeds = seedsFrom(plan.seed);
  const data = checkedRange(load(seeds), plan.data);
  let problem;
  try {
    problem = TWINS[plan.model.name](data, plan.options, seeds, plan.twin!.steps);
  } catch (e) {
    throw new UsageError(`--twin: ${e instanceof Error ? e.message : String(e)}`);
  }
  const active = await activated(plan.backend);
  const { impl } = plan.twin!;
  let session: Session | undefined;
  let report: TwinReport;
  try {
    session = await Session.start(impl, (line) => process.stderr.write(`${line}\n`));
    report = await runTwin(active.tf, session, problem);
  } catch (e) {
    if (!(e instanceof CannotStart || e instanceof ImplementationError)) throw e;
    report = { model: plan.model.name, steps: plan.twin!.steps, init: [], rows: [], error: e.message };
  } finally {
    await session?.close();
  }
  const out = {
    ...report,
    implementation: impl.name,
    backend: plan.backend.name,
    backend_version: active.runtime.version,
    seed: plan.seed,
    data: plan.data,
    options: plan.options,
    tolerance: TWIN_TOLERANCE,
  };
  process.stdout.write(plan.json ? JSON.stringify(out, null, 2) + '\n' : renderTwin(out) + '\n');
  return report.error !== undefined || firstDivergence(report, TWIN_TOLERANCE) ? 1 : 0;
}

const e3 = (x: number) => x.toExponential(2);

/** An init tensor whose spread differs by more than this between the two sides is marked. */
const INIT_SD_RATIO = 1.1;

function renderTwin(r: TwinReport & { implementation: string; backend: string; seed: number }): string {
  const init = r.init.map((x) => {
    const ratio = x.ours_sd === x.theirs_sd ? 1 : x.ours_sd / Math.max(x.theirs_sd, 1e-30);
    const differs = ratio > INIT_SD_RATIO || ratio < 1 / INIT_SD_RATIO;
    return [
      x.tensor,
      fmt(x.ours_sd, 4),
      fmt(x.theirs_sd, 4),
      fmt(x.ours_max, 4),
      fmt(x.theirs_max, 4),
      differs ? 'DIFFERS' : '',
    ];
  });
  const steps = r.rows.map((x) => [
    String(x.step),
    fmt(x.value_ours, 7),
    fmt(x.value_theirs, 7),
    e3(x.value_rel),
    x.worst_tensor,
    e3(x.worst_rel),
    e3(x.moved_rel),
    e3(x.norm_rel),
  ]);
  const first = firstDivergence(r, TWIN_TOLERANCE);
  const verdict = first
    ? `first past ${e3(TWIN_TOLERANCE)} at step ${first.step} ` +
      `(${first.worst_tensor} ${e3(first.worst_rel)}, V ${e3(first.value_rel)})`
    : `within ${e3(TWIN_TOLERANCE)} at all ${r.rows.length} steps`;
  return [
    `${r.model} twin trajectories, seed ${r.seed}: ours on ${r.backend} and ${r.implementation} ` +
      'from the same parameters, batches and noise',
    ...(init.length
      ? [
          '',
          "each side's own fresh init (its own seed: the spreads compare, not the values):",
          textTable(['tensor', 'ours sd', 'theirs sd', 'ours max', 'theirs max', ''], init),
        ]
      : []),
    ...(steps.length
      ? [
          '',
          "per step (rel: max |ours - theirs| over the layer's largest |theirs|; " +
            'moved: over how far training moved it; norm: 2-norm):',
        ]
      : []),
    ...(steps.length
      ? [textTable(['step', 'V ours', 'V theirs', 'V rel', 'worst tensor', 'rel', 'moved', 'norm'], steps)]
      : []),
    ...(r.error ? [`${r.implementation} failed ${r.error}`] : []),
    r.rows.length ? `${verdict}` : '',
  ].join('\n');
}

/** One train_steps request carries a whole fit: generous, but a hang still ends. */
const PEER_FIT_TIMEOUT_MS = 60 * 60 * 1000;

function printHuman(report: Record<string, unknown>, featureNames: readonly string[]): void {
  const scalar = Object.entries(report).filter(
    ([k, v]) => !Array.isArray(v) && typeof v !== 'object' && k !== 'message',
  );
  const lines = scalar.map(([k, v]) => `${k.padEnd(18)} ${typeof v === 'number' ? fmt(v, 12) : String(v)}`);
  lines.push(`${'message'.padEnd(18)} ${String(report.message)}`);
  const trace = report.trace as Record<string, number>[] | undefined;
  if (trace && trace.length > 0) {
    const keys = Object.keys(trace[0]);
    lines.push(
      '',
      textTable(
        keys,
        trace.map((r) => keys.map((k) => (Number.isInteger(r[k]) ? String(r[k]) : fmt(r[k], 7)))),
      ),
    );
  }
  const weights = report.weights;
  if (Array.isArray(weights)) {
    lines.push(
      '',
      textTable(
        ['feature', 'weight'],
        weights.map((w: number, j) => [featureNames[j] ?? `x${j + 1}`, fmt(w, 10)]),
      ),
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
}
