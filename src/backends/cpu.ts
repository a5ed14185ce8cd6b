import os from 'node:os';
import type { BackendSpec } from '../types.js';
import { loadTf, switchTo } from './activate-tfjs.js';
import { FLOAT32_RELATIVE_TOLERANCE } from './tolerance.js';
import { installedVersion } from './versions.js';

export const cpuBackend: BackendSpec = {
  name: 'cpu',
  description: 'pure JavaScript kernels (@tensorflow/tfjs-backend-cpu), one thread',
  counted: true,
  async activate() {
    const tf = await loadTf();
    await switchTo(tf, 'cpu', 'reinstall dependencies with `npm ci`');
    return {
      tf,
      runtime: {
        name: 'cpu',
        version: installedVersion('@tensorflow/tfjs-backend-cpu') ?? tf.version_core,
        device: os.cpus()[0]?.model ?? 'unknown CPU',
        deviceKind: 'cpu',
        relativeTolerance: FLOAT32_RELATIVE_TOLERANCE,
        details: { threads: '1' },
      },
    };
  },
};
