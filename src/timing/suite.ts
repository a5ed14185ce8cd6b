// Suites are data (suites/*.json); this file reads one and checks it against the registries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUITES_DIR } from '../layout.js';
import { BUNDLED, bundledByName } from '../protocol/bundled.js';
import { BACKENDS } from '../backends/registry.js';
import { MODELS, modelByName } from '../models/registry.js';
import type { SizeParams } from '../types.js';
import type { ModelSpec } from '../models/spec.js';

export { SUITES_DIR };

export interface Timing {
  /** Time budget per cell in ms (tinybench `time`). */
  readonly timeMs: number;
  /** Fewest timed iterations per cell (tinybench `iterations`). */
  readonly minIterations: number;
  readonly warmupIterations: number;
  /** Cap on one cell's timed work: a slow backend (llvmpipe at 100000 x 100) takes fewer samples,
   *  never fewer than MIN_SAMPLES, instead of holding the run for minutes. */
  readonly maxCellSeconds?: number;
}

export const MIN_SAMPLES = 3;
/** The longest counted span: 1024 calls (run --count-span and a suite's "countSpan"). */
export const MAX_COUNT_SPAN = 1024;

export interface Cell {
  readonly model: string;
  readonly workload: string;
  readonly size: SizeParams;
  /** This cell's own timing, over the suite's (a cell whose samples are noisy needs more of them). */
  readonly timing?: Partial<Timing>;
  /** Per backend, what the suite's gate calibration measured on this cell, where it could not reach the
   *  suite's target within its time budget. */
  readonly measuredDetectable?: Readonly<Record<string, DetectableMark>>;
  /** The measures this cell's size is for, where its entry gives counting sizes apart (absent: every measure). */
  readonly measures?: readonly Measure[];
  /** Per counted backend, the calls in its counted region (--count-span wins; absent: sized by a native probe). */
  readonly countSpan?: Readonly<Record<string, number>>;
}

/** Whether a run measuring `measure` measures this cell at all. */
export function measuredIn(cell: Cell, measure: readonly Measure[]): boolean {
  return cell.measures === undefined || cell.measures.some((m) => measure.includes(m));
}

/** What a run measuring `measure` measures of this cell. */
export function cellMeasures(cell: Cell, measure: readonly Measure[]): Measure[] {
  return measure.filter((m) => cell.measures === undefined || cell.measures.includes(m));
}

/**
 * A calibration's measurement of one cell on one backend: the minimum detectable slowdown the gate
 * predicted (median over the calibration's pairs; 1 stands for more than 100%), and how often an
 * injected slowdown was caught. A prediction alone can look within reach while the pairs say otherwise.
 */
export interface DetectableMark {
  readonly mde: number;
  readonly injected?: number;
  readonly caught?: number;
  readonly pairs?: number;
}

/** The timing one cell runs under: the suite's, with the cell's own fields over it. */
export function cellTiming(suite: Timing, cell: Cell): Timing {
  return cell.timing ? { ...suite, ...cell.timing } : suite;
}

/** A bundled implementation the suite times beside ours: on its own cells, or on every suite cell it offers. */
export interface SuiteImplementation {
  readonly name: string;
  readonly cells?: readonly Cell[];
}

/** What is measured of our rows: time (tinybench), counted instructions (valgrind), or both. */
export type Measure = 'time' | 'instructions';
export const MEASURES: readonly Measure[] = ['time', 'instructions'];

export interface Suite {
  readonly name: string;
  readonly description: string;
  /** Per backend, where the gate calibration behind the cells' measuredDetectable marks is kept. */
  readonly calibration?: Readonly<Record<string, string>>;
  /** The gate compare judges this suite's runs by (under --config and the command line). */
  readonly gate?: GateFile;
  /** What `run` measures of this suite's rows unless --measure says otherwise; absent: time. */
  readonly measure?: readonly Measure[];
  readonly timing: Timing;
  readonly cells: readonly Cell[];
  readonly implementations: readonly SuiteImplementation[];
}

/** A suite's gate settings (its "gate", or compare --config): what compare judges this suite's runs by. */
export interface GateFile {
  readonly alpha?: number;
  readonly minEffect?: number;
  readonly overrides?: readonly { readonly match: string; readonly minEffect: number }[];
}

/** Why a gate object is malformed (unknown keys included), or undefined. */
export function gateProblem(g: unknown): string | undefined {
  if (!isObject(g)) return `the gate must be an object such as {"alpha": 0.01, "minEffect": 0.05}, got ${show(g)}`;
  const unknown = Object.keys(g).find((k) => !['alpha', 'minEffect', 'overrides'].includes(k));
  if (unknown) return `unknown key '${unknown}'; keys: alpha, minEffect, overrides`;
  if (g.alpha !== undefined && !(typeof g.alpha === 'number' && g.alpha > 0 && g.alpha < 1))
    return `alpha must be in (0, 1), got ${show(g.alpha)}`;
  if (g.minEffect !== undefined && !isEffect(g.minEffect))
    return `minEffect must be >= 0 (0.05 means 5%), got ${show(g.minEffect)}`;
  if (g.overrides === undefined) return undefined;
  if (!Array.isArray(g.overrides))
    return `overrides must be a list of {"match", "minEffect"}, got ${show(g.overrides)}`;
  for (const [i, o] of g.overrides.entries()) {
    const ok =
      isObject(o) &&
      Object.keys(o).every((k) => k === 'match' || k === 'minEffect') &&
      typeof o.match === 'string' &&
      isEffect(o.minEffect);
    if (!ok)
      return (
        `overrides[${i}] needs {"match": "model/workload/size/backend glob", ` +
        `"minEffect": number >= 0} and nothing else, got ${show(o)}`
      );
  }
  return undefined;
}

/** A minimum effect: a finite fraction >= 0 (0.05 is 5%). */
function isEffect(v: unknown): boolean {
  return typeof v === 'number' && v >= 0 && Number.isFinite(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const show = (v: unknown) => (v === undefined ? 'nothing' : (JSON.stringify(v)?.slice(0, 80) ?? String(v)));

/** Refuses a field the schema does not know: a misspelt one would otherwise be ignored without a word. */
function knownFields(file: string, where: string, obj: Record<string, unknown>, fields: readonly string[]): void {
  const unknown = Object.keys(obj).find((k) => !fields.includes(k));
  if (unknown !== undefined)
    throw new Error(`${file}: ${where} has unknown field '${unknown}'; fields: ${fields.join(', ')}`);
}

const SUITE_FIELDS = [
  'name',
  'description',
  'calibration',
  'timing',
  'cells',
  'implementations',
  'gate',
  'measure',
] as const;
const CELL_FIELDS = ['model', 'workload', 'sizes', 'countSizes', 'countSpan', 'timing', 'measuredDetectable'] as const;

/** A time budget per cell no suite needs more than: a longer one is a typo (1e12) that would hold a run for ever. */
export const MAX_CELL_MS = 3_600_000;
/** Iterations per cell beyond which a suite is asking for hours, not a benchmark. */
const MAX_ITERATIONS = 1_000_000;

/**
 * The sizes a model's workloads take, by what kind of model it is (its declared capabilities), not by
 * its name: a classifier is timed on a data set of rows x cols; a generative model on a batch, with
 * optional network widths and the steps of an on-device loop. Each key has the least value it takes
 * (hidden 0: a linear network; layers 0: affine) and the most a suite may ask for.
 */
interface SizeShape {
  readonly required: readonly string[];
  readonly bounds: Readonly<Record<string, readonly [min: number, max?: number]>>;
  /** The largest buffer the size implies, in words and bytes: checked against the machine's memory at load. */
  readonly largest: (size: SizeParams) => readonly [what: string, bytes: number];
}

/**
 * The widest examples a batched workload reads (Fashion-MNIST's 28 x 28 images): a batch holds at least this many
 * floats per row.
 */
const WIDEST_EXAMPLE = 28 * 28;

const TABULAR: SizeShape = {
  required: ['rows', 'cols'],
  bounds: { rows: [1], cols: [1] },
  largest: (s) => [`its data (${s.rows} x ${s.cols} float64)`, s.rows * s.cols * 8],
};

const BATCHED: SizeShape = {
  required: ['batch'],
  bounds: {
    batch: [1],
    hidden: [0, 65_536],
    latent: [1, 65_536],
    layers: [0, 64],
    noise: [1, 65_536],
    steps: [1, 10_000],
  },
  largest: (s) => {
    const width = Math.max(WIDEST_EXAMPLE, s.hidden ?? 0, s.latent ?? 0, s.noise ?? 0);
    return [`one batch of ${s.batch} x ${width} float32 (its widest layer)`, s.batch * width * 4];
  },
};

/** A size of the shape, for messages: {"rows": 100, "cols": 100}. */
function example(shape: SizeShape): string {
  return JSON.stringify(Object.fromEntries(shape.required.map((k) => [k, 100])));
}

function sizeShape(model: ModelSpec): SizeShape {
  return model.capabilities.binaryClassifier ? TABULAR : BATCHED;
}

/** The share of the machine's memory one size's largest buffer may take: the cell's process holds copies besides it. */
const SIZE_MEMORY_SHARE = 0.5;

function checkSize(file: string, where: string, model: ModelSpec, size: unknown, totalBytes: number): void {
  const shape = sizeShape(model);
  const keys = Object.keys(shape.bounds);
  if (!isObject(size)) {
    throw new Error(
      `${file}: ${where} is ${show(size)}; a ${model.name} size is an object ` +
        `with ${keys.join(', ')}, such as ${example(shape)}`,
    );
  }
  knownFields(file, where, size, keys);
  for (const k of shape.required)
    if (!(k in size)) throw new Error(`${file}: ${where} needs "${k}"; ${model.name} sizes take ${keys.join(', ')}`);
  for (const [k, v] of Object.entries(size)) {
    const [min, max = Number.MAX_SAFE_INTEGER] = shape.bounds[k];
    const rule = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new Error(`${file}: ${where} "${k}" is ${show(v)}; it must be a whole number ${rule}`);
    }
  }
  const [what, bytes] = shape.largest(size as SizeParams);
  const gib = (b: number) => (b / 2 ** 30).toFixed(2);
  if (bytes > totalBytes * SIZE_MEMORY_SHARE) {
    const over = `over half of this machine's ${gib(totalBytes)} GiB`;
    throw new Error(
      `${file}: ${where} ${JSON.stringify(size)}: ${what} needs ${gib(bytes)} GiB, ${over}; choose a smaller size`,
    );
  }
}

interface CellsEntry {
  model: string;
  workload: string;
  sizes: SizeParams[];
  /** The sizes its counted rows take instead (valgrind runs a call 40-250x slower: a count needs a short call). */
  countSizes?: SizeParams[];
  /** {"cpu": 4, "wasm": 32}: a counted row's span, fixed, so that two runs always count alike. */
  countSpan?: Record<string, number>;
  timing?: Partial<Timing>;
  /** {"wasm": 0.31} (a prediction alone) or {"wasm": {"mde": 0.082, "injected": 0.1, "caught": 14, "pairs": 20}}. */
  measuredDetectable?: Record<string, number | DetectableMark>;
}

/** One entry of "cells" (the suite's, or an implementation's): its fields, model, workload, sizes, timing and marks. */
function checkCellsEntry(file: string, where: string, c: unknown, suiteTiming: Timing, totalBytes: number): CellsEntry {
  if (!isObject(c))
    throw new Error(
      `${file}: ${where} is ${show(c)}; a cell is {"model", "workload", "sizes": [...]} as in suites/quick.json`,
    );
  knownFields(file, where, c, CELL_FIELDS);
  const model = typeof c.model === 'string' ? modelByName(c.model) : undefined;
  if (!model)
    throw new Error(
      `${file}: ${where}: unknown model ${show(c.model)}; valid models: ${MODELS.map((m) => m.name).join(', ')}`,
    );
  if (!model.workloads.some((w) => w.name === c.workload)) {
    throw new Error(
      `${file}: ${where}: model '${model.name}' has no workload ` +
        `${show(c.workload)}; it has: ` +
        `${model.workloads.map((w) => w.name).join(', ')}`,
    );
  }
  const cell = `cell ${model.name}/${String(c.workload)}:`;
  if (c.timing !== undefined) checkTiming(file, cell, c.timing, false);
  checkBudget(file, cell, { ...suiteTiming, ...(c.timing as Partial<Timing> | undefined) });
  if (c.measuredDetectable !== undefined) checkMeasured(file, cell, c.measuredDetectable);
  const named = `${where} (${model.name}/${String(c.workload)})`;
  if (!Array.isArray(c.sizes) || c.sizes.length === 0) {
    throw new Error(
      `${file}: ${named}: "sizes" is ${show(c.sizes)}; it must be a ` +
        `non-empty list such as [${example(sizeShape(model))}]`,
    );
  }
  c.sizes.forEach((size, i) => checkSize(file, `${named} sizes[${i}]`, model, size, totalBytes));
  if (c.countSizes !== undefined) {
    if (!Array.isArray(c.countSizes) || c.countSizes.length === 0)
      throw new Error(
        `${file}: ${named}: "countSizes" is ${show(c.countSizes)}; it must be a ` +
          `non-empty list such as [${example(sizeShape(model))}], or left out to count at "sizes"`,
      );
    c.countSizes.forEach((size, i) => checkSize(file, `${named} countSizes[${i}]`, model, size, totalBytes));
  }
  if (c.countSpan !== undefined) checkCountSpan(file, named, c.countSpan);
  return c as unknown as CellsEntry;
}

const COUNTED_BACKENDS = BACKENDS.filter((b) => b.counted).map((b) => b.name);

/** "countSpan": per counted backend, a whole number of calls from 1 to MAX_COUNT_SPAN. */
function checkCountSpan(file: string, named: string, span: unknown): void {
  const example = `{${COUNTED_BACKENDS.map((b, i) => `"${b}": ${4 * (i + 1)}`).join(', ')}}`;
  const fail = (what: string) => {
    throw new Error(
      `${file}: ${named}: "countSpan" ${what}; it must be like ${example}, or left out to size it by a probe`,
    );
  };
  if (!isObject(span)) fail(`is ${show(span)}`);
  for (const [backend, calls] of Object.entries(span as Record<string, unknown>)) {
    if (!COUNTED_BACKENDS.includes(backend))
      fail(`names '${backend}', which is not counted (counted backends: ${COUNTED_BACKENDS.join(', ')})`);
    if (!Number.isInteger(calls) || (calls as number) < 1 || (calls as number) > MAX_COUNT_SPAN)
      fail(`gives ${backend} ${show(calls)} calls, not a whole number from 1 to ${MAX_COUNT_SPAN}`);
  }
}

function checkImplementations(
  file: string,
  raw: unknown,
  suiteTiming: Timing,
  totalBytes: number,
): { name: string; cells?: CellsEntry[] }[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new Error(
      `${file}: "implementations" must be a list of bundled names or {"name", "cells": [...]}, got ${show(raw)}`,
    );
  return raw.map((entry, i) => {
    const where = `implementations[${i}]`;
    const name = typeof entry === 'string' ? entry : isObject(entry) ? entry.name : undefined;
    if (typeof name !== 'string' || !bundledByName(name)) {
      throw new Error(
        `${file}: ${where}: unknown implementation ${show(name ?? entry)}; ` +
          `bundled: ${BUNDLED.map((b) => b.name).join(', ')}`,
      );
    }
    if (typeof entry === 'string') return { name };
    knownFields(file, where, entry, ['name', 'cells']);
    if (!Array.isArray(entry.cells)) {
      const fix = `give its cells as a list, or the bare name "${name}" for every suite cell it offers`;
      throw new Error(`${file}: ${where} (${name}): "cells" is ${show(entry.cells)}; ${fix}`);
    }
    return {
      name,
      cells: (entry.cells as unknown[]).map((c, j) =>
        checkCellsEntry(file, `${where}.cells[${j}]`, c, suiteTiming, totalBytes),
      ),
    };
  });
}

function expand(entries: readonly CellsEntry[]): Cell[] {
  return entries.flatMap((c) =>
    sizesByMeasure(c).map(({ size, measures }) => ({
      model: c.model,
      workload: c.workload,
      size,
      ...(c.timing ? { timing: c.timing } : {}),
      ...(c.measuredDetectable && !measures?.every((m) => m === 'instructions')
        ? { measuredDetectable: markObjects(c.measuredDetectable) }
        : {}),
      ...(measures ? { measures } : {}),
      ...(c.countSpan && (!measures || measures.includes('instructions')) ? { countSpan: c.countSpan } : {}),
    })),
  );
}

/** An entry's sizes with what each is measured by: with "countSizes", "sizes" are timed and "countSizes" counted. */
function sizesByMeasure(c: CellsEntry): { size: SizeParams; measures?: Measure[] }[] {
  if (!c.countSizes) return c.sizes.map((size) => ({ size }));
  const key = (size: SizeParams) => sizeLabel(size);
  const counted = new Set(c.countSizes.map(key));
  const timed = new Set(c.sizes.map(key));
  return [
    ...c.sizes.map((size) => (counted.has(key(size)) ? { size } : { size, measures: ['time' as const] })),
    ...c.countSizes
      .filter((size) => !timed.has(key(size)))
      .map((size) => ({ size, measures: ['instructions' as const] })),
  ];
}

function markObjects(m: Record<string, number | DetectableMark>): Record<string, DetectableMark> {
  return Object.fromEntries(Object.entries(m).map(([backend, v]) => [backend, typeof v === 'number' ? { mde: v } : v]));
}

const TIMING_FIELDS: readonly (keyof Timing)[] = ['timeMs', 'minIterations', 'warmupIterations', 'maxCellSeconds'];

/** A timing object (the suite's, complete; or a cell's, any subset) with known, non-negative numeric fields. */
function checkTiming(file: string, where: string, t: unknown, complete: boolean): void {
  if (!t || typeof t !== 'object' || Array.isArray(t))
    throw new Error(`${file}: ${where} "timing" must be an object such as {"timeMs": 1000}`);
  for (const [k, v] of Object.entries(t)) {
    if (!(TIMING_FIELDS as readonly string[]).includes(k))
      throw new Error(`${file}: ${where} "timing" has unknown field '${k}'; fields: ${TIMING_FIELDS.join(', ')}`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new Error(`${file}: ${where} "timing.${k}" is ${JSON.stringify(v)}; it must be a non-negative number`);
    if (k.endsWith('Iterations') && (!Number.isInteger(v) || v > MAX_ITERATIONS)) {
      throw new Error(`${file}: ${where} "timing.${k}" is ${v}; it must be a whole number up to ${MAX_ITERATIONS}`);
    }
    if ((k === 'timeMs' && v > MAX_CELL_MS) || (k === 'maxCellSeconds' && v * 1000 > MAX_CELL_MS)) {
      const most = k === 'timeMs' ? `${MAX_CELL_MS} (one hour per cell)` : `${MAX_CELL_MS / 1000} (one hour)`;
      throw new Error(`${file}: ${where} "timing.${k}" is ${v}; at most ${most}`);
    }
  }
  if (complete)
    for (const k of ['timeMs', 'minIterations', 'warmupIterations'] as const)
      if (!(k in t)) throw new Error(`${file}: ${where} "timing" needs "${k}" (see suites/quick.json)`);
}

/** A cell's budget within its cap: a timeMs beyond maxCellSeconds is never reached, so the file contradicts itself. */
function checkBudget(file: string, where: string, t: Timing): void {
  if (t.maxCellSeconds !== undefined && t.timeMs > t.maxCellSeconds * 1000) {
    const cap = `maxCellSeconds ${t.maxCellSeconds} (${t.maxCellSeconds * 1000} ms)`;
    throw new Error(
      `${file}: ${where} "timing.timeMs" is ${t.timeMs}, beyond its ${cap}; lower timeMs or raise maxCellSeconds`,
    );
  }
}

/**
 * {"backend": fraction or mark}: positive fractions (0.31 is 31%), a mark's counts whole and caught <= pairs; the
 * backend
 *  names are checked by the run against its registry (this file is also part of the cell processes, which must not load
 * every backend).
 */
function checkMeasured(file: string, where: string, m: unknown): void {
  const example = '{"wasm": 0.31} or {"wasm": {"mde": 0.082, "injected": 0.1, "caught": 14, "pairs": 20}}';
  if (!m || typeof m !== 'object' || Array.isArray(m))
    throw new Error(`${file}: ${where} "measuredDetectable" must be an object such as ${example}`);
  const fraction = (field: string, v: unknown) => {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
      throw new Error(
        `${file}: ${where} "measuredDetectable.${field}" is ` +
          `${JSON.stringify(v)}; it must be a positive fraction (0.31 for 31%)`,
      );
  };
  for (const [backend, v] of Object.entries(m)) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      fraction(backend, v);
      continue;
    }
    const mark = v as Record<string, unknown>;
    const unknown = Object.keys(mark).find((k) => !['mde', 'injected', 'caught', 'pairs'].includes(k));
    if (unknown)
      throw new Error(
        `${file}: ${where} "measuredDetectable.${backend}" has unknown field '` +
          `${unknown}'; fields: mde, injected, caught, pairs`,
      );
    fraction(`${backend}.mde`, mark.mde);
    const counted = ['injected', 'caught', 'pairs'].filter((k) => k in mark);
    if (counted.length === 0) continue;
    if (counted.length < 3)
      throw new Error(
        `${file}: ${where} "measuredDetectable.${backend}" gives ` +
          `${counted.join(', ')} without the rest; a calibration's count needs ` +
          `injected, caught and pairs together`,
      );
    fraction(`${backend}.injected`, mark.injected);
    const { caught, pairs } = mark;
    if (
      !Number.isInteger(pairs) ||
      (pairs as number) < 1 ||
      !Number.isInteger(caught) ||
      (caught as number) < 0 ||
      (caught as number) > (pairs as number)
    ) {
      throw new Error(
        `${file}: ${where} "measuredDetectable.${backend}" has caught ` +
          `${JSON.stringify(caught)} of pairs ${JSON.stringify(pairs)}; they ` +
          `must be whole numbers with 0 <= caught <= pairs, pairs >= 1`,
      );
    }
  }
}

/** {"backend": "folder"}: each backend's marks come from its own calibration (wasm and cpu are calibrated apart). */
function checkCalibration(file: string, c: unknown): void {
  const example = '{"wasm": "results/baselines/gate-calibration-paired-quick-wasm-2026-11-29"}';
  if (!c || typeof c !== 'object' || Array.isArray(c))
    throw new Error(
      `${file}: "calibration" is ${JSON.stringify(c)}; it must name each ` +
        `backend's calibration folder, such as ${example}`,
    );
  for (const [backend, v] of Object.entries(c)) {
    if (typeof v !== 'string' || v === '')
      throw new Error(
        `${file}: "calibration.${backend}" is ${JSON.stringify(v)}; it must be ` +
          `the folder of that backend's calibration, such as ${example}`,
      );
  }
}

export function listSuites(): string[] {
  return fs
    .readdirSync(SUITES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

/** A suite by name (suites/NAME.json) or a path to a suite file of your own (FILE.json). */
export function suiteFile(name: string): string | undefined {
  if (name.endsWith('.json')) return fs.existsSync(name) ? path.resolve(name) : undefined;
  const file = path.join(SUITES_DIR, `${name}.json`);
  return fs.existsSync(file) ? file : undefined;
}

/** The parsed file, or one line naming it: a folder or unreadable file, or text that is not JSON. */
function readSuiteJson(file: string): unknown {
  if (fs.statSync(file).isDirectory())
    throw new Error(`${file}: a folder, not a suite file; give a FILE.json such as suites/quick.json`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(
      `${file}: not JSON (${e instanceof Error ? e.message : String(e)}); a ` +
        `suite is {"name", "description", "timing", "cells": [...]} as in ` +
        `suites/quick.json`,
    );
  }
}

/**
 * A suite by name (suites/NAME.json) or path, checked against one schema before anything runs: unknown
 * fields at any level, malformed cells and sizes, sizes the machine cannot hold and budgets beyond an
 * hour are refused with the file, the cell and the field.
 */
/** "measure": ["time"], ["instructions"] or both, each once. */
function checkMeasure(file: string, m: unknown): void {
  const ok =
    Array.isArray(m) && m.length > 0 && m.every((x) => MEASURES.includes(x as Measure)) && new Set(m).size === m.length;
  if (!ok)
    throw new Error(
      `${file}: "measure" is ${show(m)}; it must list ` +
        `${MEASURES.join(' and/or ')}, each once, such as ["instructions"]`,
    );
}

export function loadSuite(name: string, totalBytes = os.totalmem()): Suite {
  const file = suiteFile(name);
  if (!file)
    throw new Error(
      `unknown suite '${name}'; valid suites: ${listSuites().join(', ')}, or a path to a suite FILE.json`,
    );
  const raw = readSuiteJson(file);
  if (!isObject(raw) || typeof raw.name !== 'string' || raw.name === '' || !raw.timing || !Array.isArray(raw.cells)) {
    throw new Error(`${file}: a suite needs "name", "timing" and "cells" (see suites/quick.json)`);
  }
  knownFields(file, 'the suite', raw, SUITE_FIELDS);
  // The name is shown on the terminal and in summaries: an escape sequence there would drive the terminal.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(raw.name)) {
    throw new Error(
      `${file}: "name" ${JSON.stringify(raw.name)} holds control characters; use letters, digits, - and _`,
    );
  }
  if (raw.description !== undefined && typeof raw.description !== 'string') {
    throw new Error(`${file}: "description" is ${show(raw.description)}; it must be a string`);
  }
  checkTiming(file, "the suite's", raw.timing, true);
  const timing = raw.timing as Timing;
  checkBudget(file, "the suite's", timing);
  if (raw.calibration !== undefined) checkCalibration(file, raw.calibration);
  const problem = raw.gate === undefined ? undefined : gateProblem(raw.gate);
  if (problem) throw new Error(`${file}: "gate": ${problem}`);
  if (raw.measure !== undefined) checkMeasure(file, raw.measure);
  const cells = raw.cells.map((c, i) => checkCellsEntry(file, `cells[${i}]`, c, timing, totalBytes));
  const implementations = checkImplementations(file, raw.implementations, timing, totalBytes);
  return {
    name: raw.name,
    description: (raw.description as string | undefined) ?? '',
    ...(raw.calibration ? { calibration: raw.calibration as Record<string, string> } : {}),
    ...(raw.gate ? { gate: raw.gate as GateFile } : {}),
    ...(raw.measure ? { measure: raw.measure as Measure[] } : {}),
    timing,
    cells: expand(cells),
    implementations: implementations.map((i) =>
      i.cells ? { name: i.name, cells: expand(i.cells) } : { name: i.name },
    ),
  };
}

/** A size as it appears in rows and is matched by compare: "rows=1000;cols=10", keys in suite order. */
export function sizeLabel(size: SizeParams): string {
  return Object.entries(size)
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
}
