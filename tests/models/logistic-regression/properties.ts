// Property checks of a logistic-regression objective implementation (value, gradient, log-loss),
// written once and run against our oracle, against deliberately broken twins (which they must
// catch), and later against third-party implementations. fast-check prints seed and path to replay.
import fc from 'fast-check';
import type { LogregProblem } from '../../../src/models/logistic-regression/objective.js';

export interface LogregObjectiveImpl {
  objective(p: LogregProblem, w: ArrayLike<number>, b: number): number;
  gradient(p: LogregProblem, w: ArrayLike<number>, b: number): ArrayLike<number>;
  meanLogLoss(p: LogregProblem, w: ArrayLike<number>, b: number): number;
}

/** fast-check settings for one call; what is left out comes from fc.configureGlobal (the test setup). */
export type PropertyRun = Partial<fc.Parameters<unknown>>;

/** Float64 against float64: only round-off separates the two sides. */
const VALUE_RTOL = 1e-9;
/** Central differences with h ~ 1e-5 carry O(h^2) truncation and O(eps/h) round-off. */
const FD_STEP = 1e-5;
const FD_RTOL = 1e-5;

interface Case {
  readonly p: LogregProblem;
  readonly w: number[];
  readonly b: number;
}

const coordinate = fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true });

export function problemArb(maxRows = 12, maxCols = 4): fc.Arbitrary<Case> {
  return fc
    .record({
      rows: fc.integer({ min: 2, max: maxRows }),
      cols: fc.integer({ min: 1, max: maxCols }),
      C: fc.double({ min: 0.01, max: 100, noNaN: true, noDefaultInfinity: true }),
    })
    .chain(({ rows, cols, C }) =>
      fc.record({
        x: fc.array(coordinate, { minLength: rows * cols, maxLength: rows * cols }),
        y: fc.array(fc.constantFrom(0, 1), { minLength: rows, maxLength: rows }),
        w: fc.array(coordinate, { minLength: cols, maxLength: cols }),
        b: coordinate,
      }).map(({ x, y, w, b }) => ({ p: { x: Float64Array.from(x), y: Float64Array.from(y), rows, cols, C }, w, b })),
    );
}

function close(a: number, b: number, rtol: number, scale = 1): boolean {
  return Math.abs(a - b) <= rtol * Math.max(Math.abs(a), Math.abs(b), scale);
}

function assertProperty<T>(arb: fc.Arbitrary<T>, run: PropertyRun, predicate: (t: T) => boolean): void {
  fc.assert(fc.property(arb, predicate), run as fc.Parameters<[T]>);
}

/** J(l a + (1-l) c) <= l J(a) + (1-l) J(c): J is convex along every segment. */
export function checkConvexity(impl: LogregObjectiveImpl, run: PropertyRun = {}): void {
  const arb = problemArb().chain((k) =>
    fc.record({
      k: fc.constant(k),
      w2: fc.array(coordinate, { minLength: k.p.cols, maxLength: k.p.cols }),
      b2: coordinate,
      l: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  );
  assertProperty(arb, run, ({ k, w2, b2, l }) => {
    const mid = k.w.map((v, j) => l * v + (1 - l) * w2[j]);
    const lhs = impl.objective(k.p, mid, l * k.b + (1 - l) * b2);
    const rhs = l * impl.objective(k.p, k.w, k.b) + (1 - l) * impl.objective(k.p, w2, b2);
    return lhs <= rhs + VALUE_RTOL * Math.max(1, Math.abs(rhs));
  });
}

/** The analytic gradient equals central finite differences of the value, coordinate by coordinate. */
export function checkGradient(impl: LogregObjectiveImpl, run: PropertyRun = {}): void {
  assertProperty(problemArb(), run, ({ p, w, b }) => {
    const g = impl.gradient(p, w, b);
    const theta = [...w, b];
    const at = (t: number[]) => impl.objective(p, t.slice(0, p.cols), t[p.cols]);
    const scale = Math.max(1, Math.abs(at(theta)));
    return theta.every((_, j) => {
      const plus = theta.slice();
      const minus = theta.slice();
      plus[j] += FD_STEP;
      minus[j] -= FD_STEP;
      const fd = (at(plus) - at(minus)) / (2 * FD_STEP);
      return close(g[j], fd, FD_RTOL, scale);
    });
  });
}

/** Flipping every label and negating (w, b) leaves J unchanged. */
export function checkLabelFlip(impl: LogregObjectiveImpl, run: PropertyRun = {}): void {
  assertProperty(problemArb(), run, ({ p, w, b }) => {
    const flipped = { ...p, y: p.y.map((v) => 1 - v) };
    return close(impl.objective(flipped, w.map((v) => -v), -b), impl.objective(p, w, b), VALUE_RTOL);
  });
}

/** Duplicating every row is the same problem as doubling C. */
export function checkDuplicateRows(impl: LogregObjectiveImpl, run: PropertyRun = {}): void {
  assertProperty(problemArb(), run, ({ p, w, b }) => {
    const doubled = { x: Float64Array.from([...p.x, ...p.x]), y: Float64Array.from([...p.y, ...p.y]), rows: 2 * p.rows, cols: p.cols, C: p.C };
    return close(impl.objective(doubled, w, b), impl.objective({ ...p, C: 2 * p.C }, w, b), VALUE_RTOL);
  });
}

/** Logits up to 1e4 in magnitude give finite values, gradients and log-loss. */
export function checkExtremeLogits(impl: LogregObjectiveImpl, run: PropertyRun = {}): void {
  const arb = fc.record({
    f: fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 8 }),
    sign: fc.constantFrom(0, 1),
  });
  assertProperty(arb, run, ({ f, sign }) => {
    // One feature equal to the logit and w = 1 makes f exactly the drawn value.
    const p = { x: Float64Array.from(f), y: Float64Array.from(f, (_, i) => (i % 2) ^ sign), rows: f.length, cols: 1, C: 1 };
    const values = [impl.objective(p, [1], 0), impl.meanLogLoss(p, [1], 0), ...Array.from(impl.gradient(p, [1], 0))];
    return values.every(Number.isFinite);
  });
}

/** The mean log-loss is the documented -(1/m) sum [y log s(f) + (1-y) log(1 - s(f))] where that formula is safe. */
export function checkLogLossFormula(impl: LogregObjectiveImpl, run: PropertyRun = {}): void {
  assertProperty(problemArb(), run, ({ p, w, b }) => {
    let sum = 0;
    for (let i = 0; i < p.rows; i++) {
      let f = b;
      for (let j = 0; j < p.cols; j++) f += p.x[i * p.cols + j] * w[j];
      // Beyond |f| = 30 the naive formula itself loses all precision (1 - s rounds to 0).
      if (Math.abs(f) > 30) return true;
      const s = 1 / (1 + Math.exp(-f));
      sum += p.y[i] * Math.log(s) + (1 - p.y[i]) * Math.log(1 - s);
    }
    return close(impl.meanLogLoss(p, w, b), -sum / p.rows, 1e-7);
  });
}

export const LOGREG_OBJECTIVE_PROPERTIES = {
  convexity: checkConvexity,
  gradient: checkGradient,
  'label-flip': checkLabelFlip,
  'duplicate-rows': checkDuplicateRows,
  'extreme-logits': checkExtremeLogits,
  'log-loss-formula': checkLogLossFormula,
} as const;
