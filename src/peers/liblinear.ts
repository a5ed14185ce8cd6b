// liblinear-train -s 3 (Debian liblinear-tools): L2-regularised hinge-loss SVC by dual coordinate
// descent, intercept as a feature (-B 1), so its intercept is penalised, unlike ours: its primal,
// judged by our oracle, is a little above the unpenalised optimum.
import { logisticData } from '../data/synthetic.js';
import { signs } from '../models/svm/model.js';
import { commandAvailable, timeCommand } from './command.js';
import { kernelOfWorkload } from './libsvm.js';
import { readLiblinearModel, withLibsvmFiles } from './libsvm-format.js';
import { primalLinearPeer } from './svm-judge.js';
import type { PeerSpec } from './types.js';

const LIBLINEAR_TRAIN = '/usr/bin/liblinear-train';
const C = 1;

export const liblinearPeer: PeerSpec = {
  name: 'liblinear',
  models: ['svm'],
  async run(cell, seeds, timing) {
    if (!commandAvailable(LIBLINEAR_TRAIN)) return { unavailable: `${LIBLINEAR_TRAIN} not found`, fix: 'apt-get install liblinear-tools' };
    if (kernelOfWorkload(cell.workload) !== 'linear') return { unavailable: 'liblinear has no kernels', fix: 'use the libsvm or sklearn peers for RBF' };
    const { rows, cols } = cell.size;
    const data = logisticData(rows, cols, seeds.data);
    const t = signs(data.y);
    return withLibsvmFiles(data.x, t, rows, cols, async (dataFile, modelFile) => {
      const { samplesMs } = await timeCommand(LIBLINEAR_TRAIN, ['-s', '3', '-c', String(C), '-B', '1', '-q', dataFile, modelFile], timing.minIterations, timing.warmupIterations, (timing.maxCellSeconds ?? Infinity) * 1000);
      const model = readLiblinearModel(modelFile, cols);
      return {
        version: 'liblinear 2.3.0 (Debian liblinear-tools), -s 3 -B 1',
        device: 'CPU, one thread',
        samplesMs,
        workPerRun: rows,
        workUnit: 'rows/s',
        objectiveName: 'P',
        objective: primalLinearPeer(data.x, t, rows, cols, C, model.weights, model.bias),
        iterations: NaN,
      };
    });
  },
};
