// Property-test runs: a fixed seed by default (reproducible CI), MODELBENCH_PROPERTY_SEED to explore.
import { DEFAULT_BASE_SEED, seedsFrom } from '../../src/seeds.js';

export const PROPERTY_SEED = Number(process.env.MODELBENCH_PROPERTY_SEED ?? seedsFrom(DEFAULT_BASE_SEED).property);
export const PROPERTY_RUNS = Number(process.env.MODELBENCH_PROPERTY_RUNS ?? 200);
export const propertyRun = { seed: PROPERTY_SEED, numRuns: PROPERTY_RUNS };
