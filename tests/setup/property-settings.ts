// fast-check's seed and number of runs, set once for every property in the run (fc.configureGlobal),
// from MODELBENCH_PROPERTY_SEED and MODELBENCH_PROPERTY_RUNS. A failing property prints its seed and
// path; rerun with that seed to replay it.
import fc from 'fast-check';
import { PROPERTY_RUNS, PROPERTY_SEED } from '../helpers/seeds.js';

fc.configureGlobal({ seed: PROPERTY_SEED, numRuns: PROPERTY_RUNS });
