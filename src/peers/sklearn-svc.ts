// scikit-learn's SVC as a peer of the SVM fits: same data, C and gamma; its dual solution (support
// indices and t alpha) judged by our float64 oracle.
import fs from 'node:fs';
import path from 'node:path';
import { PEERS_DIR } from '../layout.js';
import { logisticData } from '../data/synthetic.js';
import { certify } from '../models/svm/certificate.js';
import { problemOf, svmConfig } from '../models/svm/config.js';
import { signs } from '../models/svm/model.js';
import { kernelOfWorkload } from './libsvm.js';
import { runPython, writeFloat64File } from './python.js';
import type { PeerSpec } from './types.js';

const SCRIPT = path.join(PEERS_DIR, 'sklearn_svc.py');

interface SvcOutput {
  unavailable?: string;
  version: string;
  samples_ms: number[];
  support: number[];
  dual_coef: number[];
  bias: number;
  iterations: number | null;
}

export const sklearnSvcPeer: PeerSpec = {
  name: 'sklearn-svc',
  models: ['svm'],
  async run(cell, seeds, timing) {
    const { rows, cols } = cell.size;
    const kernel = kernelOfWorkload(cell.workload);
    const data = logisticData(rows, cols, seeds.data);
    const config = svmConfig(data, { kernel });
    const t = signs(data.y);
    const file = writeFloat64File([data.x, t]);
    try {
      const gamma = config.kernel.type === 'rbf' ? config.kernel.gamma : 0;
      const out = (await runPython(SCRIPT, [file, String(rows), String(cols), String(config.C), kernel, String(gamma), String(timing.minIterations), String(timing.warmupIterations), String((timing.maxCellSeconds ?? Infinity) * 1000)])) as unknown as SvcOutput;
      if (out.unavailable) return { unavailable: out.unavailable, fix: 'apt-get install python3-sklearn' };
      const alpha = new Float64Array(rows);
      out.support.forEach((i, k) => (alpha[i] = Math.abs(out.dual_coef[k])));
      const c = certify(problemOf(data, config), alpha, out.bias);
      return {
        version: `scikit-learn ${out.version} SVC (libsvm), tol 1e-3`,
        device: 'CPU, one thread',
        samplesMs: out.samples_ms,
        workPerRun: rows,
        workUnit: 'rows/s',
        objectiveName: 'P',
        objective: c.primal,
        iterations: out.iterations ?? NaN,
      };
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  },
};
