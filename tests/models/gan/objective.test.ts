// Properties of the float64 GAN oracle, each shown to catch a deliberately broken twin.
import assert from 'node:assert/strict';
import { fc, test } from '@fast-check/vitest';
import { describe, it } from 'vitest';
import { RING8 } from '../../../src/models/gan/data.js';
import {
  jensenShannon,
  LOG4,
  minimaxGeneratorLoss,
  modeCoverage,
  nonSaturatingGeneratorLoss,
  optimalDiscriminator,
  optimalLogit,
  optimalValue,
  valueByQuadrature,
  valueFromLogits,
  type Gaussian1d,
} from '../../../src/models/gan/objective.js';
import { runsOf } from '../../helpers/seeds.js';
import { naiveValue, swappedOptimalLogit } from './broken-oracles.js';

/** Simpson's rule on 20001 points over +-12 sd: quadrature error far below this. */
const QUADRATURE_TOL = 1e-8;

const gaussian = fc.record({ mean: fc.double({ min: -3, max: 3, noNaN: true }), sd: fc.double({ min: 0.2, max: 3, noNaN: true }) });
const pair = fc.tuple(gaussian, gaussian);

describe('GAN oracle: the optimal discriminator and V(D*, G)', () => {
  test.prop([pair], runsOf(60))('V(D*, G) = -log 4 + 2 JSD(p_data || p_g), with the JSD in [0, log 2]', ([p, q]) => {
    const jsd = jensenShannon(p, q);
    return jsd >= -QUADRATURE_TOL && jsd <= Math.log(2) + QUADRATURE_TOL && Math.abs(optimalValue(p, q) - (-LOG4 + 2 * jsd)) <= QUADRATURE_TOL;
  });

  test.prop([pair], runsOf(60))('V(D*, G) >= -log 4', ([p, q]) => optimalValue(p, q) >= -LOG4 - QUADRATURE_TOL);

  test.prop([gaussian, fc.double({ min: -5, max: 5, noNaN: true })], runsOf(60))('V(D*, G) = -log 4 when p_g = p_data (D* = 1/2 everywhere)', (p, x) => Math.abs(optimalValue(p, p) + LOG4) <= QUADRATURE_TOL && Math.abs(optimalDiscriminator(p, p, x) - 0.5) <= 1e-15);

  it('V(D*, G) is strictly above -log 4 when the densities differ', () => {
    const p: Gaussian1d = { mean: 0, sd: 1 };
    assert.ok(optimalValue(p, { mean: 0.5, sd: 1 }) > -LOG4 + 1e-3);
  });

  const otherLogit = fc.record({ a: fc.double({ min: -3, max: 3, noNaN: true }), b: fc.double({ min: -3, max: 3, noNaN: true }), c: fc.double({ min: -0.5, max: 0.5, noNaN: true }) });
  test.prop([pair, otherLogit], runsOf(60))('any other discriminator gives a value no larger than V(D*, G)', ([p, q], { a, b, c }) => valueByQuadrature(p, q, (x) => a + b * x + c * x * x) <= optimalValue(p, q) + QUADRATURE_TOL);

  it('catches a D* with the densities swapped', () => {
    const failure = fc.check(
      fc.property(pair, ([p, q]) => Math.abs(valueByQuadrature(p, q, swappedOptimalLogit(p, q)) - (-LOG4 + 2 * jensenShannon(p, q))) <= QUADRATURE_TOL),
      runsOf(60),
    );
    assert.ok(failure.failed);
  });

  it('the quadrature D* has the exact logit log p_data - log p_g', () => {
    const p = { mean: 1, sd: 0.5 };
    const q = { mean: -1, sd: 2 };
    for (const x of [-3, 0, 0.7, 4]) {
      const d = optimalDiscriminator(p, q, x);
      assert.ok(Math.abs(Math.log(d / (1 - d)) - optimalLogit(p, q)(x)) <= 1e-9);
    }
  });
});

describe('GAN oracle: values and losses from logits', () => {
  const logits = fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 20 });
  test.prop([logits, logits])('V and both generator losses are finite for logits up to 1e4 in magnitude', (r, f) => [valueFromLogits(r, f), minimaxGeneratorLoss(f), nonSaturatingGeneratorLoss(f)].every(Number.isFinite));

  it('the naive log(sigmoid) form of V is not finite there', () => {
    assert.ok(!Number.isFinite(naiveValue([-1e4], [1e4])));
  });

  it('at D = 1/2 everywhere (logit 0), V = -log 4 and the losses are log 2 and -log 2', () => {
    assert.ok(Math.abs(valueFromLogits([0, 0], [0]) + LOG4) < 1e-15);
    assert.ok(Math.abs(nonSaturatingGeneratorLoss([0]) - Math.log(2)) < 1e-15);
    assert.ok(Math.abs(minimaxGeneratorLoss([0]) + Math.log(2)) < 1e-15);
  });
});

describe('GAN oracle: mode coverage', () => {
  it('counts every mode for samples at the centres and one for a collapsed generator', () => {
    const all = RING8.centres.flatMap((c) => Array.from({ length: 30 }, () => c)).flat();
    assert.deepEqual(modeCoverage(all, 2, RING8.centres, RING8.sd), { modesCaptured: 8, modes: 8, highQuality: 1 });
    const collapsed = Array.from({ length: 240 }, () => RING8.centres[3]).flat();
    assert.equal(modeCoverage(collapsed, 2, RING8.centres, RING8.sd).modesCaptured, 1);
    const off = Array.from({ length: 240 }, () => [0, 0]).flat();
    assert.deepEqual(modeCoverage(off, 2, RING8.centres, RING8.sd), { modesCaptured: 0, modes: 8, highQuality: 0 });
  });
});
