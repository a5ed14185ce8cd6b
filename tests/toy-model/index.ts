// A fifth model defined outside src/: a mean estimator with its oracle, one workload, one check and
// its reference handler. Registered as a user's package would register one: this module's default
// export, named in MODELBENCH_MODELS (tests/models/toy-model.test.ts), or registerModel() in-process.
import type { ModelSpec } from '../../src/models/spec.js';
import { tfjs, type ReferenceHandler } from '../../src/models/reference-request.js';
import { TOY_CHECKS } from './checks.js';
import { meanOracle, squaredError } from './oracle.js';
import { meanOnBackend, MEAN_WORKLOAD } from './workloads.js';

const column = (X: unknown): Float64Array => Float64Array.from((X as number[][]).map((row) => row[0]));

const reference: ReferenceHandler = {
  fit: async (r) => ({ mean: await meanOnBackend(await tfjs(), column(r.X)) }),
};

const toyMean: ModelSpec = {
  name: 'toy-mean',
  title: 'mean estimator (a toy model registered from outside src/)',
  capabilities: { binaryClassifier: false, convexObjective: true, generative: false },
  workloads: [MEAN_WORKLOAD],
  implWorkloads: [],
  checks: TOY_CHECKS,
  reference,
  fitOptions: {},
  async fit(tf, data) {
    const mean = await meanOnBackend(tf, data.x);
    return { parameters: { mean }, modelObjective: squaredError(data.x, mean), modelObjectiveName: 'J', iterations: 1, converged: true, message: 'closed form' };
  },
  judge(data, _options, summary) {
    return { objectiveName: 'J', objective: squaredError(data.x, summary.parameters.mean as number), extra: { oracle_mean: meanOracle(data.x) } };
  },
};

export default toyMean;
