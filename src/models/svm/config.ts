// User options of the SVM (--C, --kernel, --gamma, --tol) resolved into a solver config.
import type { Dataset } from '../../types.js';
import { parsePositiveOption } from '../options.js';
import { kernelFrom, signs, SVM_DEFAULTS } from './model.js';
import { gammaScale, type SvmProblem } from './objective.js';
import type { SvmConfig } from './solver.js';

/**
 * Variables per decomposition step. Measured on wasm, linear kernel, to a 5e-4 relative gap:
 * 100000 x 100 took 46 s with 64, 23 s with 256, 74 s with 512 (the host SMO on the block grows as
 * q^2); 10000 x 50 took 0.46 s with 64 and 3.4 s with 256.
 */
export function workingSetFor(kernel: string, rows: number): number {
  return kernel === 'linear' && rows >= 50000 ? 256 : SVM_DEFAULTS.workingSet;
}

export function svmConfig(data: Pick<Dataset, 'x' | 'cols'>, options: Readonly<Record<string, string>>): SvmConfig {
  const kernelType = options.kernel ?? 'linear';
  if (kernelType !== 'linear' && kernelType !== 'rbf')
    throw new Error(`--kernel must be linear or rbf, got '${kernelType}'`);
  if (kernelType === 'linear' && options.gamma !== undefined) throw new Error('--gamma applies to --kernel rbf only');
  const gamma =
    options.gamma === undefined || options.gamma === 'scale'
      ? gammaScale(data.x, data.cols)
      : parsePositiveOption('gamma', options.gamma, 1);
  return {
    ...SVM_DEFAULTS,
    C: parsePositiveOption('C', options.C, SVM_DEFAULTS.C, true),
    tolerance: parsePositiveOption('tol', options.tol, SVM_DEFAULTS.tolerance),
    kernel: kernelFrom(kernelType, gamma),
    workingSet: workingSetFor(kernelType, data.x.length / data.cols),
  };
}

export function problemOf(data: Dataset, config: SvmConfig): SvmProblem {
  return { x: data.x, t: signs(data.y), rows: data.rows, cols: data.cols, C: config.C, kernel: config.kernel };
}
