// The toy model's one workload: the mean of `batch` values on the backend, read back, checked
// against the float64 oracle.
import type { BackendRuntime, PreparedWorkload, SizeParams, Tf, WorkloadSpec } from '../../src/types.js';
import type { Seeds } from '../../src/seeds.js';
import { toyValues } from './data.js';
import { meanOracle } from './oracle.js';

export async function meanOnBackend(tf: Tf, values: Float64Array): Promise<number> {
  const x = tf.tensor1d(Float32Array.from(values));
  const m = tf.mean(x);
  const [value] = await m.data();
  tf.dispose([x, m]);
  return value;
}

export const MEAN_WORKLOAD: WorkloadSpec = {
  name: 'mean',
  description: 'the mean of batch values on the backend, read back to the host',
  async prepare(tf: Tf, size: SizeParams, seeds: Seeds, backend: BackendRuntime): Promise<PreparedWorkload> {
    const values = toyValues(size.batch, seeds.data);
    let last: number | undefined;
    return {
      workPerRun: size.batch,
      workUnit: 'values/s',
      async run() {
        last = await meanOnBackend(tf, values);
      },
      async check() {
        const modelValue = last ?? (await meanOnBackend(tf, values));
        const oracleValue = meanOracle(values);
        const relError = Math.abs(modelValue - oracleValue) / Math.abs(oracleValue);
        return { objectiveName: 'mean', atOptimum: true, modelValue, oracleValue, relError, tolerance: backend.relativeTolerance, passed: relError <= backend.relativeTolerance };
      },
      dispose() {},
    };
  },
};
