// modelbench/vitest with a model registered in this process (registerModel), its reference handler
// behind the protocol in a sandboxed process that registers it the same way (MODELBENCH_MODELS).
import path from 'node:path';
import { registerModel } from '../../src/models/registry.js';
import { describeConformance } from '../../src/vitest/conformance.js';
import toyMean from '../toy-model/index.js';
import { REPO } from '../helpers/data.js';

registerModel(toyMean);
await describeConformance({
  model: 'toy-mean',
  impl: path.join(REPO, 'src/validate/reference-impl.ts'),
  env: { MODELBENCH_MODELS: path.join(REPO, 'tests/toy-model/index.ts') },
});
