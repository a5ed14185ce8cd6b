// Properties of the SVM float64 oracle, each shown to reject a deliberately broken twin.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import fc from 'fast-check';
import * as oracle from '../../../src/models/svm/objective.js';
import type { SvmProblem } from '../../../src/models/svm/objective.js';

interface SvmOracle {
  dualObjective(p: SvmProblem, alpha: ArrayLike<number>): number;
  primalLinear(p: Omit<SvmProblem, 'kernel'>, w: ArrayLike<number>, b: number): number;
  decisionFromDual(p: SvmProblem, alpha: ArrayLike<number>, b: number): Float64Array;
}

const real: SvmOracle = oracle;
const coordinate = fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true });

/** A problem with both classes, a feasible alpha (box and sum alpha t = 0) and any (w, b). */
const caseArb = fc
  .record({ rows: fc.integer({ min: 2, max: 10 }), cols: fc.integer({ min: 1, max: 4 }), C: fc.double({ min: 0.01, max: 10, noNaN: true }) })
  .chain(({ rows, cols, C }) =>
    fc.record({
      x: fc.array(coordinate, { minLength: rows * cols, maxLength: rows * cols }),
      t: fc.array(fc.constantFrom(-1, 1), { minLength: rows, maxLength: rows }),
      raw: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: rows, maxLength: rows }),
      w: fc.array(coordinate, { minLength: cols, maxLength: cols }),
      b: coordinate,
      gamma: fc.double({ min: 0.01, max: 2, noNaN: true }),
    }).map(({ x, t, raw, w, b, gamma }) => {
      t[0] = 1;
      t[1] = -1;
      // Scale each class's alphas to the same total, so sum alpha t = 0 within the box.
      const pos = raw.reduce((s, a, i) => s + (t[i] > 0 ? a : 0), 0) || 1;
      const neg = raw.reduce((s, a, i) => s + (t[i] < 0 ? a : 0), 0) || 1;
      const target = Math.min(pos, neg);
      const alpha = raw.map((a, i) => (C * a * target) / (t[i] > 0 ? pos : neg) / Math.max(1, ...raw));
      const p: SvmProblem = { x: Float64Array.from(x), t: Float64Array.from(t), rows, cols, C, kernel: { type: 'linear' } };
      return { p, alpha, w, b, gamma };
    }),
  );

const checks = {
  /** D(alpha) <= P(w, b) for every feasible alpha and every (w, b). */
  'weak-duality': (o: SvmOracle) =>
    fc.assert(
      fc.property(caseArb, ({ p, alpha, w, b }) => o.dualObjective(p, alpha) <= o.primalLinear(p, w, b) + 1e-9 * Math.max(1, Math.abs(o.primalLinear(p, w, b))))
    ),
  /** P(w, b; 2C) - 1/2||w||^2 = 2 (P(w, b; C) - 1/2||w||^2): C scales the hinge term and nothing else. */
  'C-scales-hinge': (o: SvmOracle) =>
    fc.assert(
      fc.property(caseArb, ({ p, w, b }) => {
        const half = 0.5 * w.reduce((s, v) => s + v * v, 0);
        const one = o.primalLinear(p, w, b) - half;
        const two = o.primalLinear({ ...p, C: 2 * p.C }, w, b) - half;
        return Math.abs(two - 2 * one) <= 1e-9 * Math.max(1, Math.abs(two));
      })
    ),
  /** With the linear kernel, the dual form of f equals w.x + b with w = sum alpha t x. */
  'linear-kernel-is-linear': (o: SvmOracle) =>
    fc.assert(
      fc.property(caseArb, ({ p, alpha, b }) => {
        const w = new Float64Array(p.cols);
        alpha.forEach((a, i) => {
          for (let k = 0; k < p.cols; k++) w[k] += a * p.t[i] * p.x[i * p.cols + k];
        });
        const viaDual = o.decisionFromDual(p, alpha, b);
        const viaW = oracle.marginsLinear({ ...p, t: new Float64Array(p.rows).fill(1) }, w, b);
        return viaDual.every((v, i) => Math.abs(v - viaW[i]) <= 1e-9 * Math.max(1, Math.abs(v)));
      })
    ),
};

const BROKEN: Record<keyof typeof checks, SvmOracle> = {
  /** Hinge with margin 0, max(0, -t f): the primal drops below the dual. */
  'weak-duality': {
    ...real,
    primalLinear: (p, w, b) => {
      const sq = Array.from(w).reduce((s, v) => s + v * v, 0);
      const m = oracle.marginsLinear(p, w, b);
      return 0.5 * sq + p.C * Array.from(m).reduce((s, v) => s + Math.max(0, -v), 0);
    },
  },
  /** C used as lambda: C multiplies the penalty instead of the loss. */
  'C-scales-hinge': {
    ...real,
    primalLinear: (p, w, b) => {
      const sq = Array.from(w).reduce((s, v) => s + v * v, 0);
      const loss = (real.primalLinear(p, w, b) - 0.5 * sq) / p.C;
      return 0.5 * p.C * sq + loss;
    },
  },
  /** Forgets the label in the dual expansion (sum alpha K instead of sum alpha t K). */
  'linear-kernel-is-linear': {
    ...real,
    decisionFromDual: (p, alpha, b) => real.decisionFromDual({ ...p, t: new Float64Array(p.rows).fill(1) }, alpha, b),
  },
};

describe('SVM float64 oracle', () => {
  for (const [name, check] of Object.entries(checks) as [keyof typeof checks, (o: SvmOracle) => void][]) {
    it(`satisfies ${name}`, () => check(real));
    it(`${name} rejects its broken twin`, () => assert.throws(() => check(BROKEN[name]), /Property failed/));
  }

  it("gamma 'scale' is 1 / (d Var(X)) over every entry", () => {
    assert.equal(oracle.gammaScale(Float64Array.from([0, 2, 0, 2]), 2), 1 / (2 * 1));
  });

  it('KKT residual names the worst point of each type', () => {
    const p: SvmProblem = { x: new Float64Array(3), t: Float64Array.from([1, -1, 1]), rows: 3, cols: 1, C: 1, kernel: { type: 'linear' } };
    assert.equal(oracle.kktViolation(p, [0, 0.5, 1], [0.5, 1, 1]), 0.5); // alpha = 0 with margin 0.5 < 1
    assert.ok(Math.abs(oracle.kktViolation(p, [0, 0.5, 1], [1.5, 1.2, 0.9]) - 0.2) < 1e-12); // free with margin 1.2
    assert.ok(Math.abs(oracle.kktViolation(p, [0, 0.5, 1], [1.5, 1, 1.1]) - 0.1) < 1e-12); // alpha = C with margin 1.1
  });
});
