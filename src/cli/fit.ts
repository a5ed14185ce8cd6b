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
import { limitsFrom, parseImplOption } from '../protocol/implementation.js';
import { fitOverSeeds, renderSeedsReport } from './fit-seeds.js';
import { chooseSandbox, parseBinds } from './validate.js';
import { defineCommand, MAX_SEED, parseCount, parseSeed } from './options.js';
import { inProcessBackend, parseOpenOptions } from './usage.js';

/** wasm is the fastest backend every machine of this kind has. */
export const DEFAULT_FIT_BACKEND = 'wasm';
export const FIT_COMMAND = defineCommand({
  name: 'fit',
  summary: "Fits the reference implementation to your data on one backend and prints the parameters and the float64 oracle's verdict on them.",
  options: {
    model: { type: 'string', value: MODELS.map((m) => m.name).join('|'), help: 'the model (required)' },
    data: { type: 'string', value: 'FILE.csv|NAME', help: 'a CSV with a header row, or a dataset the model knows by name (required)' },
    label: { type: 'string', value: 'COLUMN', help: 'the label column of a CSV (default: the last)' },
    backend: { type: 'string', value: BACKENDS.filter((b) => !b.host).map((b) => b.name).join('|'), default: DEFAULT_FIT_BACKEND, help: 'the backend' },
    seed: { type: 'string', value: 'N', default: String(DEFAULT_BASE_SEED), help: 'base seed (data splits, init, sampling)' },
    json: { type: 'boolean', default: false, help: 'print JSON' },
    seeds: { type: 'string', value: 'N', default: '1', help: "fit N times, with the seeds --seed, --seed + 1, ...: the distribution of the model's quality measures (GAN: modes captured, high-quality share)" },
    impl: { type: 'string', value: 'NAME|NAME=TARGET', help: 'with --seeds: train an implementation under test the same way on the same seeds (a bundled name such as pytorch-1-thread, or a module/command) and test whether ours is worse (one-sided Mann-Whitney, p < 0.05)' },
    'no-sandbox': { type: 'boolean', default: false, help: 'run the --impl implementation without the bwrap sandbox (required where none exists)' },
    'sandbox-bind': { type: 'string', value: 'PATH', multiple: true, help: 'also show the --impl implementation this file or folder, read-only, inside the sandbox' },
  },
  more: () => ['', 'model options (after --model NAME):', ...MODELS.flatMap((m) => [`  ${m.name}:`, ...Object.entries(m.fitOptions).map(([k, help]) => `    --${k.padEnd(24)} ${help}`), ...Object.entries(m.namedData ?? {}).map(([k, d]) => `    --data ${k.padEnd(19)} ${d.description}`)])],
});
const COMMON = new Set(Object.keys(FIT_COMMAND.options));

export async function fitCommand(argv: string[]): Promise<number> {
  const values = parseOpenOptions(argv, new Set(Object.entries(FIT_COMMAND.options).filter(([, o]) => o.type === 'boolean').map(([k]) => k)));
  const modelName = values.model;
  if (typeof modelName !== 'string') throw new UsageError(`--model is required; valid models: ${MODELS.map((m) => m.name).join(', ')}`);
  const model = modelByName(modelName);
  if (!model) throw new UsageError(`unknown model '${modelName}'; valid models: ${MODELS.map((m) => m.name).join(', ')}`);
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (COMMON.has(key)) continue;
    if (!(key in model.fitOptions)) {
      throw new UsageError(`--${key} is not an option of ${model.name}; its options: ${Object.keys(model.fitOptions).map((k) => `--${k}`).join(', ')}`);
    }
    if (typeof value !== 'string') throw new UsageError(`--${key} needs a value`);
    options[key] = value;
  }
  const named = model.namedData ?? {};
  const namedList = Object.keys(named).length > 0 ? ` or one of: ${Object.keys(named).join(', ')}` : '';
  if (typeof values.data !== 'string') {
    const csvRule = model.capabilities.generative ? 'a header row and numeric cells, no label column' : 'a header row, numeric cells, a 0/1 or -1/+1 label column';
    throw new UsageError(`--data is required: FILE.csv (${csvRule})${namedList}`);
  }
  const backendName = typeof values.backend === 'string' ? values.backend : DEFAULT_FIT_BACKEND;
  const backend = inProcessBackend(backendName, 'fit');
  const seed = parseSeed(typeof values.seed === 'string' ? values.seed : undefined, DEFAULT_BASE_SEED);

  const seeds = seedsFrom(seed);
  const replicates = typeof values.seeds === 'string' ? parseCount(values.seeds, '--seeds', 1000) : 1;
  // Replicate k uses seed + k: the last one must still be a 32-bit seed.
  if (seed + replicates - 1 > MAX_SEED) {
    throw new UsageError(`--seed ${seed} with --seeds ${replicates} reaches seed ${seed + replicates - 1}, beyond ${MAX_SEED}; lower --seed`);
  }
  if (replicates > 1 || values.impl !== undefined) {
    if (!model.qualityMetrics) throw new UsageError(`--seeds and --impl apply to models whose quality varies with the seed (${MODELS.filter((m) => m.qualityMetrics).map((m) => m.name).join(', ')}); ${model.name} fits are judged by their optimum instead`);
    if (values.impl !== undefined && replicates < 2) throw new UsageError('--impl compares distributions over seeds: give --seeds N with N >= 2 (10 is a useful start)');
    if (typeof values.impl === 'string' && !model.peerFit) throw new UsageError(`--impl: ${model.name} has no protocol form of its fit`);
  }
  let data;
  try {
    const dataset = named[values.data];
    if (dataset && replicates > 1) return await fitSeeds(model, backend, dataset.load, options, seed, replicates, values);
    if (dataset) data = dataset.load(seeds);
    else if (!values.data.toLowerCase().endsWith('.csv') && !fs.existsSync(values.data)) {
      throw new UsageError(`--data ${values.data}: no such file${namedList ? `, and not a dataset ${model.name} knows by name (${Object.keys(named).join(', ')})` : ''}`);
    } else data = readLabelledCsv(values.data, { label: typeof values.label === 'string' ? values.label : undefined, unlabelled: model.capabilities.generative });
  } catch (e) {
    if (e instanceof DataError) throw new UsageError(e.message);
    throw e;
  }
  const range = float32RangeProblem(data);
  if (range) throw new UsageError(describeRangeProblem(range, values.data));
  if (replicates > 1) {
    const fixed = data;
    return fitSeeds(model, backend, () => fixed, options, seed, replicates, values);
  }
  let active;
  try {
    active = await backend.activate();
  } catch (e) {
    if (e instanceof BackendUnavailable) throw new UsageError(`backend ${backendName} is unavailable: ${e.reason}; fix: ${e.fix}`);
    throw e;
  }
  if (data.note) process.stderr.write(`note: ${data.note}\n`);
  let summary;
  const progress = makeProgress();
  let started = false;
  try {
    const t0 = performance.now();
    summary = await model.fit(active.tf, data, options, seeds, (done, total, label) => {
      if (!started) progress.start(total, model.capabilities.generative ? 'training steps' : 'solver steps at most');
      started = true;
      progress.update(done, label);
    });
    progress.finish();
    const seconds = (performance.now() - t0) / 1000;
    const verdict = model.judge(data, options, summary);
    const report = {
      model: model.name,
      backend: backendName,
      backend_version: active.runtime.version,
      device: active.runtime.device,
      data: values.data,
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
    if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else printHuman(report, data.featureNames);
  } catch (e) {
    throw new UsageError(`fit failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  return summary.converged ? 0 : 1;
}

async function fitSeeds(model: ModelSpec, backend: BackendSpec, load: (seeds: Seeds) => Dataset, options: Record<string, string>, baseSeed: number, count: number, values: Record<string, string | true>): Promise<number> {
  const impl = typeof values.impl === 'string' ? parseImplOption(values.impl, limitsFrom({ timeoutMs: PEER_FIT_TIMEOUT_MS, memoryMb: 16384, sandbox: chooseSandbox(values['no-sandbox'] === true), binds: parseBinds(typeof values['sandbox-bind'] === 'string' ? [values['sandbox-bind']] : []) })) : undefined;
  let active;
  try {
    active = await backend.activate();
  } catch (e) {
    if (e instanceof BackendUnavailable) throw new UsageError(`backend ${backend.name} is unavailable: ${e.reason}; fix: ${e.fix}`);
    throw e;
  }
  let report;
  try {
    report = await fitOverSeeds({ model, tf: active.tf, load, options, baseSeed, count, impl, log: (line) => process.stderr.write(`${line}\n`) });
  } catch (e) {
    throw new UsageError(`fit failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out = { ...report, backend: backend.name, backend_version: active.runtime.version, device: active.runtime.device, data: values.data, options };
  process.stdout.write(values.json ? JSON.stringify(out, null, 2) + '\n' : renderSeedsReport(report) + '\n');
  return report.worse ? 1 : 0;
}

/** One train_steps request carries a whole fit: generous, but a hang still ends. */
const PEER_FIT_TIMEOUT_MS = 60 * 60 * 1000;

function printHuman(report: Record<string, unknown>, featureNames: readonly string[]): void {
  const scalar = Object.entries(report).filter(([k, v]) => !Array.isArray(v) && typeof v !== 'object' && k !== 'message');
  const lines = scalar.map(([k, v]) => `${k.padEnd(18)} ${typeof v === 'number' ? fmt(v, 12) : String(v)}`);
  lines.push(`${'message'.padEnd(18)} ${String(report.message)}`);
  const trace = report.trace as Record<string, number>[] | undefined;
  if (trace && trace.length > 0) {
    const keys = Object.keys(trace[0]);
    lines.push('', textTable(keys, trace.map((r) => keys.map((k) => (Number.isInteger(r[k]) ? String(r[k]) : fmt(r[k], 7))))));
  }
  const weights = report.weights;
  if (Array.isArray(weights)) {
    lines.push('', textTable(['feature', 'weight'], weights.map((w: number, j) => [featureNames[j] ?? `x${j + 1}`, fmt(w, 10)])));
  }
  process.stdout.write(lines.join('\n') + '\n');
}
