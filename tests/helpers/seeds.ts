// Property-test runs: a fixed seed by default (reproducible CI), MODELBENCH_PROPERTY_SEED to explore,
// MODELBENCH_PROPERTY_RUNS to run more or fewer cases. tests/setup/property-settings.ts applies both
// globally; a property whose every case is a model fit asks for a share of the runs with runsOf().
import { DEFAULT_BASE_SEED, seedsFrom } from '../../src/seeds.js';

/** The number of cases a cheap property runs when MODELBENCH_PROPERTY_RUNS is not set. */
export const DEFAULT_PROPERTY_RUNS = 200;

function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name}=${text} is not a non-negative integer: unset it or give a whole number`);
  return value;
}

export const PROPERTY_SEED = positiveInteger('MODELBENCH_PROPERTY_SEED', seedsFrom(DEFAULT_BASE_SEED).property);
export const PROPERTY_RUNS = Math.max(1, positiveInteger('MODELBENCH_PROPERTY_RUNS', DEFAULT_PROPERTY_RUNS));

/**
 * The runs for a property whose cases are expensive (a fit, a training run): `atDefault` cases when
 * MODELBENCH_PROPERTY_RUNS has its default, scaled with it otherwise (never fewer than one).
 */
export function runsOf(atDefault: number): { numRuns: number } {
  return { numRuns: Math.max(1, Math.round((atDefault * PROPERTY_RUNS) / DEFAULT_PROPERTY_RUNS)) };
}
