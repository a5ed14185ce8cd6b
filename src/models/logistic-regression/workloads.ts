// Benchmark workloads of logistic regression. Each prepares its data untimed, times one thing, and
// checks the backend's objective against the float64 oracle at the parameters it produced.
import { logisticData } from '../../data/synthetic.js';
import type { Seeds } from '../../seeds.js';
import type {
  BackendRuntime,
  Dataset,
  ObjectiveCheck,
  PreparedWorkload,
  SizeParams,
  Tf,
  WorkloadSpec,
} from '../../types.js';
import {
  decisionFunction,
  fit,
  fitOnDevice,
  LOGREG_DEFAULTS,
  meanLogLossOnDevice,
  uploadData,
  uploadModel,
  type LogregFit,
} from './model.js';
import { gradient, gradientScale, meanLogLoss, objective } from './objective.js';

/** A fit passes when the oracle's ||grad J||_inf is within this factor of the solver's tolerance:
 *  the solver stops on its float32 gradient, which may differ from the float64 one by round-off. */
export const CONVERGENCE_SLACK = 10;

function sizeOf(size: SizeParams): { rows: number; cols: number } {
  const rows = size.rows;
  const cols = size.cols;
  if (!(rows > 0) || !(cols > 0))
    throw new Error(`logreg workloads need sizes { rows, cols }, got ${JSON.stringify(size)}`);
  return { rows, cols };
}

function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
}

/** The check every fit workload shares: backend J vs oracle J at the fitted parameters, and convergence. */
export function checkFit(data: Dataset, C: number, result: LogregFit, backend: BackendRuntime): ObjectiveCheck {
  const problem = { ...data, C };
  const oracle = objective(problem, result.weights, result.bias);
  let gradNorm = 0;
  for (const g of gradient(problem, result.weights, result.bias)) gradNorm = Math.max(gradNorm, Math.abs(g));
  const gradLimit = CONVERGENCE_SLACK * LOGREG_DEFAULTS.tolerance * gradientScale(problem);
  const valueOk = relativeError(result.backendObjective, oracle) <= backend.relativeTolerance;
  const passed = valueOk && gradNorm <= gradLimit && result.converged;
  return {
    objectiveName: 'J',
    atOptimum: true,
    modelValue: result.backendObjective,
    oracleValue: oracle,
    tolerance: backend.relativeTolerance,
    passed,
    iterations: result.iterations,
    converged: result.converged,
    note: passed
      ? undefined
      : `||grad J||_inf ${gradNorm.toExponential(2)} (limit ${gradLimit.toExponential(2)}); ${result.message}`,
  };
}

function fitWorkload(name: string, description: string, resident: boolean): WorkloadSpec {
  return {
    name,
    description,
    async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
      const { rows, cols } = sizeOf(size);
      const data = logisticData(rows, cols, seeds.data);
      const config = LOGREG_DEFAULTS;
      const dev = resident ? uploadData(tf, data) : undefined;
      let last: LogregFit | undefined;
      return {
        workPerRun: rows,
        workUnit: 'rows/s',
        async run() {
          last = dev ? await fitOnDevice(tf, dev, data, config) : await fit(tf, data, config);
        },
        async check() {
          if (!last) last = dev ? await fitOnDevice(tf, dev, data, config) : await fit(tf, data, config);
          return checkFit(data, config.C, last, backend);
        },
        dispose() {
          dev?.dispose();
        },
      };
    },
  };
}

const predictWorkload: WorkloadSpec = {
  name: 'predict',
  description: 'decision values X w + b for all rows, read back to the host',
  async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
    const { rows, cols } = sizeOf(size);
    const data = logisticData(rows, cols, seeds.data);
    // Fixed, seeded parameters: predict's speed does not depend on how they were found.
    const probe = logisticData(1, cols + 1, seeds.init);
    const weights = probe.x.slice(0, cols);
    const bias = probe.x[cols];
    const dev = uploadData(tf, data);
    // Resident weights, as a served model has them: each call is the product and the read-back only.
    const model = uploadModel(tf, weights, bias);
    return {
      workPerRun: rows,
      workUnit: 'rows/s',
      flopsPerRun: 2 * rows * cols,
      heldBackBy:
        'a matrix-vector product reads each entry of X once for 2 flops: ' +
        'memory-bound, where a square matMul reuses each entry n times',
      async run() {
        await decisionFunction(tf, dev.x, model);
      },
      async check() {
        const modelValue = await meanLogLossOnDevice(tf, dev, weights, bias);
        const oracleValue = meanLogLoss({ ...data, C: 1 }, weights, bias);
        return {
          objectiveName: 'mean log-loss',
          modelValue,
          oracleValue,
          tolerance: backend.relativeTolerance,
          passed: relativeError(modelValue, oracleValue) <= backend.relativeTolerance,
        };
      },
      dispose() {
        model.dispose();
        dev.dispose();
      },
    };
  },
};

export const LOGREG_WORKLOADS: readonly WorkloadSpec[] = [
  fitWorkload('fit', 'L-BFGS fit to tolerance with the data already on the backend (X and X^T resident)', true),
  fitWorkload('fit-from-host', 'the same fit from float64 host arrays: upload and transpose included', false),
  predictWorkload,
];
