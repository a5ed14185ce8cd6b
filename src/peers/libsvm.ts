// libsvm's svm-train (Debian libsvm-tools) as a peer of the SVM fits: C-SVC, linear (-t 0) or RBF
// (-t 2, same gamma as ours), default tolerance -e 0.001; its model judged by our float64 oracle.
import { logisticData } from '../data/synthetic.js';
import { svmConfig } from '../models/svm/config.js';
import { signs } from '../models/svm/model.js';
import { commandAvailable, timeCommand } from './command.js';
import { readLibsvmModel, withLibsvmFiles } from './libsvm-format.js';
import { primalFromExpansion } from './svm-judge.js';
import type { PeerSpec } from './types.js';

const SVM_TRAIN = '/usr/bin/svm-train';

export function kernelOfWorkload(workload: string): 'linear' | 'rbf' {
  if (workload.endsWith('-rbf')) return 'rbf';
  if (workload.endsWith('-linear')) return 'linear';
  throw new Error(`svm peers time fit-linear and fit-rbf, not '${workload}'`);
}

export const libsvmPeer: PeerSpec = {
  name: 'libsvm',
  models: ['svm'],
  async run(cell, seeds, timing) {
    if (!commandAvailable(SVM_TRAIN)) return { unavailable: `${SVM_TRAIN} not found`, fix: 'apt-get install libsvm-tools' };
    const { rows, cols } = cell.size;
    const kernel = kernelOfWorkload(cell.workload);
    const data = logisticData(rows, cols, seeds.data);
    const config = svmConfig(data, { kernel });
    const t = signs(data.y);
    return withLibsvmFiles(data.x, t, rows, cols, async (dataFile, modelFile) => {
      const args = ['-s', '0', '-t', kernel === 'rbf' ? '2' : '0', ...(config.kernel.type === 'rbf' ? ['-g', String(config.kernel.gamma)] : []), '-c', String(config.C), '-e', '0.001', '-h', '1', dataFile, modelFile];
      const { samplesMs, stdout } = await timeCommand(SVM_TRAIN, args, timing.minIterations, timing.warmupIterations, (timing.maxCellSeconds ?? Infinity) * 1000);
      const model = readLibsvmModel(modelFile, cols);
      const coef = model.coef.map((c) => c * model.sign);
      const primal = primalFromExpansion(data.x, t, rows, cols, config.C, config.kernel, model.sv, coef, -model.rho * model.sign);
      return {
        version: 'libsvm 3.24 (Debian libsvm-tools)',
        device: 'CPU, one thread',
        samplesMs,
        workPerRun: rows,
        workUnit: 'rows/s',
        objectiveName: 'P',
        objective: primal,
        iterations: Number(/#iter = (\d+)/.exec(stdout)?.[1] ?? NaN),
      };
    });
  },
};
