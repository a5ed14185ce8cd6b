// Suites are data (suites/*.json); this file reads one and checks it against the registries.
import fs from 'node:fs';
import path from 'node:path';
import { SUITES_DIR } from '../layout.js';
import { BUNDLED, bundledByName } from '../impl/bundled.js';
import { MODELS, modelByName } from '../models/registry.js';
import type { SizeParams } from '../types.js';

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

export interface Cell {
  readonly model: string;
  readonly workload: string;
  readonly size: SizeParams;
  /** This cell's own timing, over the suite's (a cell whose samples are noisy needs more of them). */
  readonly timing?: Partial<Timing>;
  /** Per backend, what the suite's gate calibration measured on this cell, where it could not reach the
   *  suite's target within its time budget. */
  readonly measuredDetectable?: Readonly<Record<string, DetectableMark>>;
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

export interface Suite {
  readonly name: string;
  readonly description: string;
  /** Per backend, where the gate calibration behind the cells' measuredDetectable marks is kept. */
  readonly calibration?: Readonly<Record<string, string>>;
  readonly timing: Timing;
  readonly cells: readonly Cell[];
  readonly implementations: readonly SuiteImplementation[];
}

interface SuiteFile {
  name: string;
  description: string;
  calibration?: unknown;
  timing: Timing;
  cells: CellsEntry[];
  implementations?: (string | { name: string; cells: CellsEntry[] })[];
}

interface CellsEntry {
  model: string;
  workload: string;
  sizes: SizeParams[];
  timing?: Partial<Timing>;
  /** {"wasm": 0.31} (a prediction alone) or {"wasm": {"mde": 0.082, "injected": 0.1, "caught": 14, "pairs": 20}}. */
  measuredDetectable?: Record<string, number | DetectableMark>;
}

function expand(entries: readonly CellsEntry[]): Cell[] {
  return entries.flatMap((c) => c.sizes.map((size) => ({ model: c.model, workload: c.workload, size, ...(c.timing ? { timing: c.timing } : {}), ...(c.measuredDetectable ? { measuredDetectable: markObjects(c.measuredDetectable) } : {}) })));
}

function markObjects(m: Record<string, number | DetectableMark>): Record<string, DetectableMark> {
  return Object.fromEntries(Object.entries(m).map(([backend, v]) => [backend, typeof v === 'number' ? { mde: v } : v]));
}

const TIMING_FIELDS: readonly (keyof Timing)[] = ['timeMs', 'minIterations', 'warmupIterations', 'maxCellSeconds'];

/** A timing object (the suite's, complete; or a cell's, any subset) with known, non-negative numeric fields. */
function checkTiming(file: string, where: string, t: unknown, complete: boolean): void {
  if (!t || typeof t !== 'object' || Array.isArray(t)) throw new Error(`${file}: ${where} "timing" must be an object such as {"timeMs": 1000}`);
  for (const [k, v] of Object.entries(t)) {
    if (!(TIMING_FIELDS as readonly string[]).includes(k)) throw new Error(`${file}: ${where} "timing" has unknown field '${k}'; fields: ${TIMING_FIELDS.join(', ')}`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${file}: ${where} "timing.${k}" is ${JSON.stringify(v)}; it must be a non-negative number`);
  }
  if (complete) for (const k of ['timeMs', 'minIterations', 'warmupIterations'] as const) if (!(k in t)) throw new Error(`${file}: ${where} "timing" needs "${k}" (see suites/quick.json)`);
}

/** {"backend": fraction or mark}: positive fractions (0.31 is 31%), a mark's counts whole and caught <= pairs; the backend
 *  names are checked by the run against its registry (this file is also part of the cell processes, which must not load every backend). */
function checkMeasured(file: string, where: string, m: unknown): void {
  const example = '{"wasm": 0.31} or {"wasm": {"mde": 0.082, "injected": 0.1, "caught": 14, "pairs": 20}}';
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new Error(`${file}: ${where} "measuredDetectable" must be an object such as ${example}`);
  const fraction = (field: string, v: unknown) => {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new Error(`${file}: ${where} "measuredDetectable.${field}" is ${JSON.stringify(v)}; it must be a positive fraction (0.31 for 31%)`);
  };
  for (const [backend, v] of Object.entries(m)) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      fraction(backend, v);
      continue;
    }
    const mark = v as Record<string, unknown>;
    const unknown = Object.keys(mark).find((k) => !['mde', 'injected', 'caught', 'pairs'].includes(k));
    if (unknown) throw new Error(`${file}: ${where} "measuredDetectable.${backend}" has unknown field '${unknown}'; fields: mde, injected, caught, pairs`);
    fraction(`${backend}.mde`, mark.mde);
    const counted = ['injected', 'caught', 'pairs'].filter((k) => k in mark);
    if (counted.length === 0) continue;
    if (counted.length < 3) throw new Error(`${file}: ${where} "measuredDetectable.${backend}" gives ${counted.join(', ')} without the rest; a calibration's count needs injected, caught and pairs together`);
    fraction(`${backend}.injected`, mark.injected);
    const { caught, pairs } = mark;
    if (!Number.isInteger(pairs) || (pairs as number) < 1 || !Number.isInteger(caught) || (caught as number) < 0 || (caught as number) > (pairs as number)) {
      throw new Error(`${file}: ${where} "measuredDetectable.${backend}" has caught ${JSON.stringify(caught)} of pairs ${JSON.stringify(pairs)}; they must be whole numbers with 0 <= caught <= pairs, pairs >= 1`);
    }
  }
}

/** {"backend": "folder"}: each backend's marks come from its own calibration (wasm and cpu are calibrated apart). */
function checkCalibration(file: string, c: unknown): void {
  const example = '{"wasm": "results/baselines/gate-calibration-paired-quick-wasm-2026-11-29"}';
  if (!c || typeof c !== 'object' || Array.isArray(c)) throw new Error(`${file}: "calibration" is ${JSON.stringify(c)}; it must name each backend's calibration folder, such as ${example}`);
  for (const [backend, v] of Object.entries(c)) {
    if (typeof v !== 'string' || v === '') throw new Error(`${file}: "calibration.${backend}" is ${JSON.stringify(v)}; it must be the folder of that backend's calibration, such as ${example}`);
  }
}

export function listSuites(): string[] {
  return fs.readdirSync(SUITES_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
}

/** A suite by name (suites/NAME.json) or a path to a suite file of your own (FILE.json). */
export function suiteFile(name: string): string | undefined {
  if (name.endsWith('.json')) return fs.existsSync(name) ? path.resolve(name) : undefined;
  const file = path.join(SUITES_DIR, `${name}.json`);
  return fs.existsSync(file) ? file : undefined;
}

export function loadSuite(name: string): Suite {
  const file = suiteFile(name);
  if (!file) throw new Error(`unknown suite '${name}'; valid suites: ${listSuites().join(', ')}, or a path to a suite FILE.json`);
  let raw: SuiteFile;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteFile;
  } catch (e) {
    throw new Error(`${file}: not JSON (${e instanceof Error ? e.message : String(e)}); a suite is {"name", "description", "timing", "cells": [...]} as in suites/quick.json`);
  }
  if (!raw || typeof raw.name !== 'string' || !raw.timing || !Array.isArray(raw.cells)) throw new Error(`${file}: a suite needs "name", "timing" and "cells" (see suites/quick.json)`);
  checkTiming(file, 'the suite\'s', raw.timing, true);
  if (raw.calibration !== undefined) checkCalibration(file, raw.calibration);
  for (const c of raw.cells) {
    if (c.timing !== undefined) checkTiming(file, `cell ${c.model}/${c.workload}:`, c.timing, false);
    if (c.measuredDetectable !== undefined) checkMeasured(file, `cell ${c.model}/${c.workload}:`, c.measuredDetectable);
    const model = modelByName(c.model);
    if (!model) throw new Error(`${file}: unknown model '${c.model}'; valid models: ${MODELS.map((m) => m.name).join(', ')}`);
    if (!model.workloads.some((w) => w.name === c.workload)) {
      throw new Error(`${file}: model '${c.model}' has no workload '${c.workload}'; it has: ${model.workloads.map((w) => w.name).join(', ')}`);
    }
  }
  return {
    name: raw.name,
    description: raw.description,
    ...(raw.calibration ? { calibration: raw.calibration as Record<string, string> } : {}),
    timing: raw.timing,
    cells: expand(raw.cells),
    implementations: (raw.implementations ?? []).map((entry) => {
      const name = typeof entry === 'string' ? entry : entry.name;
      if (!bundledByName(name)) throw new Error(`${file}: unknown implementation '${name}'; bundled: ${BUNDLED.map((b) => b.name).join(', ')}`);
      return typeof entry === 'string' ? { name } : { name, cells: expand(entry.cells) };
    }),
  };
}

/** A size as it appears in rows and is matched by compare: "rows=1000;cols=10", keys in suite order. */
export function sizeLabel(size: SizeParams): string {
  return Object.entries(size).map(([k, v]) => `${k}=${v}`).join(';');
}
