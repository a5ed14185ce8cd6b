// SVM benchmark workloads: fits (linear and RBF) certified by the float64 oracle, and decision
// functions compared value by value with the oracle's.
import { logisticData } from '../../data/synthetic.js';
import type { Seeds } from '../../seeds.js';
import type { BackendRuntime, PreparedWorkload, SizeParams, Tf, WorkloadSpec } from '../../types.js';
import { certify, trainingDecisions } from './certificate.js';
import { problemOf, svmConfig } from './config.js';
import { kernelOperator } from './kernel-operator.js';
import { fitSvm, type SvmFit } from './model.js';

/** A fit passes when its duality gap is below this share of the primal (the target). */
export const RELATIVE_GAP_TARGET = 1e-3;

function sizeOf(size: SizeParams): { rows: number; cols: number } {
  if (!(size.rows > 0) || !(size.cols > 0))
    throw new Error(`svm workloads need sizes { rows, cols }, got ${JSON.stringify(size)}`);
  return { rows: size.rows, cols: size.cols };
}

function fitWorkload(kernel: 'linear' | 'rbf'): WorkloadSpec {
  return {
    name: `fit-${kernel}`,
    description:
      (kernel === 'linear'
        ? "Newton's method on the smoothed primal (dual decomposition where it falls short)"
        : 'dual decomposition with a kernel column cache') +
      `, ${kernel} kernel, C = 1` +
      `${kernel === 'rbf' ? ", gamma = 'scale'" : ''}, to a relative duality ` +
      `gap of ${RELATIVE_GAP_TARGET / 2} (or a maximal violating pair gap of ` +
      `1e-3)`,
    async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
      const { rows, cols } = sizeOf(size);
      const data = logisticData(rows, cols, seeds.data);
      // Stop at the target gap itself; the pair-gap tolerance stays as a second, stricter exit.
      const config = { ...svmConfig(data, { kernel }), tolerance: 1e-3, relativeGap: RELATIVE_GAP_TARGET / 2 };
      let last: SvmFit | undefined;
      return {
        workPerRun: rows,
        workUnit: 'rows/s',
        async run() {
          last = await fitSvm(tf, data, config);
        },
        async check() {
          const r = last ?? (await fitSvm(tf, data, config));
          const c = certify(problemOf(data, config), r.alpha, r.bias);
          const relGap = c.gap / Math.abs(c.primal);
          const primalOk = Math.abs(r.primalObjective - c.primal) <= backend.relativeTolerance * Math.abs(c.primal);
          const passed =
            primalOk && relGap <= RELATIVE_GAP_TARGET && c.infeasibility <= 1e-9 * config.C * rows && r.converged;
          return {
            objectiveName: 'P',
            atOptimum: true,
            modelValue: r.primalObjective,
            oracleValue: c.primal,
            tolerance: backend.relativeTolerance,
            passed,
            iterations: r.iterations,
            converged: r.converged,
            note: passed
              ? undefined
              : `relative gap ${relGap.toExponential(2)} (target ${RELATIVE_GAP_TARGET}` +
                `); primal ${primalOk ? 'matches' : 'differs from'} the oracle's; ` +
                `${r.message}`,
          };
        },
        dispose() {},
      };
    },
  };
}

function decisionWorkload(kernel: 'linear' | 'rbf'): WorkloadSpec {
  return {
    name: `decision-${kernel}`,
    description: `decision function of a fitted ${kernel} SVM on every row, on the backend, read back`,
    async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
      const { rows, cols } = sizeOf(size);
      const data = logisticData(rows, cols, seeds.data);
      // The decision function's speed does not depend on how exact the fit is: stop at the target gap.
      const config = { ...svmConfig(data, { kernel }), tolerance: 1e-3, relativeGap: RELATIVE_GAP_TARGET / 2 };
      const fitted = await fitSvm(tf, data, config);
      const support = [...fitted.alpha.keys()].filter((i) => fitted.alpha[i] > 0);
      const coef = Float64Array.from(support, (i) => fitted.t[i] * fitted.alpha[i]);
      const op = kernelOperator(tf, data.x, rows, cols, config.kernel);
      let values: Float64Array | undefined;
      return {
        workPerRun: rows,
        workUnit: 'rows/s',
        async run() {
          values = await op.applyBlock(support, coef);
        },
        async check() {
          const got = values ?? (await op.applyBlock(support, coef));
          // The oracle's decision values (for the linear kernel through w = sum alpha t x: O(m d), not O(m nSV d)).
          const want = trainingDecisions(problemOf(data, config), fitted.alpha, 0);
          let worst = 0;
          let scale = 0;
          for (let i = 0; i < rows; i++) {
            worst = Math.max(worst, Math.abs(got[i] - want[i]));
            scale = Math.max(scale, Math.abs(want[i]));
          }
          const rel = worst / Math.max(scale, 1e-300);
          return {
            objectiveName: 'max |f| of the decision values',
            modelValue: Math.max(...Array.from(got, Math.abs)),
            oracleValue: scale,
            relError: rel,
            tolerance: backend.relativeTolerance,
            passed: rel <= backend.relativeTolerance,
            note:
              rel <= backend.relativeTolerance
                ? undefined
                : `decision values differ from the oracle's by ${rel.toExponential(2)} of their scale`,
          };
        },
        dispose() {
          op.dispose();
        },
      };
    },
  };
}

export const SVM_WORKLOADS: readonly WorkloadSpec[] = [
  fitWorkload('linear'),
  fitWorkload('rbf'),
  decisionWorkload('linear'),
  decisionWorkload('rbf'),
];
