// scikit-learn's LogisticRegression(lbfgs) as a peer: the same seeded data as our `fit` workload,
// timed in the same run, its parameters judged by our float64 oracle.
import fs from 'node:fs';
import path from 'node:path';
import { PEERS_DIR } from '../layout.js';
import { logisticData } from '../data/synthetic.js';
import { objective } from '../models/logistic-regression/objective.js';
import type { PeerSpec } from './types.js';
import { PEER_PYTHON, runPython, writeFloat64File } from './python.js';

const SCRIPT = path.join(PEERS_DIR, 'sklearn_logreg.py');
const C = 1;

interface SklearnOutput {
  unavailable?: string;
  version: string;
  numpy: string;
  threads: string | null;
  samples_ms: number[];
  weights: number[];
  bias: number;
  iterations: number;
}

export const sklearnPeer: PeerSpec = {
  name: 'sklearn',
  models: ['logreg'],
  async run(cell, seeds, timing) {
    const { rows, cols } = cell.size;
    const data = logisticData(rows, cols, seeds.data);
    const file = writeFloat64File([data.x, data.y]);
    try {
      const out = (await runPython(SCRIPT, [file, String(rows), String(cols), String(C), String(timing.minIterations), String(timing.warmupIterations)])) as unknown as SklearnOutput;
      if (out.unavailable) return { unavailable: out.unavailable, fix: 'apt-get install python3-sklearn' };
      const oracle = objective({ ...data, C }, out.weights, out.bias);
      return {
        version: `scikit-learn ${out.version}, numpy ${out.numpy}`,
        device: `CPU via ${PEER_PYTHON}${out.threads ? ` (${out.threads})` : ''}`,
        samplesMs: out.samples_ms,
        workPerRun: rows,
        workUnit: 'rows/s',
        objectiveName: 'J',
        objective: oracle,
        iterations: out.iterations,
      };
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  },
};
