// The toy model's conformance check: the mean an implementation returns for seeded values, against
// the float64 oracle.
import type { Check } from '../../src/models/check.js';
import { scalar } from '../../src/protocol/messages.js';
import { deriveSeed } from '../../src/seeds.js';
import { toyValues } from './data.js';
import { meanOracle } from './oracle.js';

/** float32 summation of 1,000 values near 3.5 is good to about 1e-6 relative. */
const TOLERANCE = 1e-5;

export const TOY_CHECKS: readonly Check[] = [
  {
    name: 'toy-mean-exact',
    model: 'toy-mean',
    description: 'the fitted mean of 1,000 seeded values matches the float64 mean',
    async run({ impl, seed }) {
      const values = toyValues(1000, deriveSeed(seed, 'toy-mean'));
      const answer = await impl.request({ op: 'fit', model: 'toy-mean', X: Array.from(values, (v) => [v]) });
      const measured = scalar(answer, 'mean');
      const expected = meanOracle(values);
      const error = Math.abs(measured - expected) / Math.abs(expected);
      return { passed: error <= TOLERANCE, measured, expected, tolerance: TOLERANCE, detail: `relative error ${error.toExponential(2)}` };
    },
  },
];
