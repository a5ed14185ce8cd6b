// PyTorch (Debian's python3-torch) as the VAE's peer: the same network, initialisation scheme, Adam
// settings and images as our train-step workload, timed in the same run at 1 and 2 threads; its
// trained parameters are judged by our float64 ELBO on the same check images and noise.
import fs from 'node:fs';
import path from 'node:path';
import { PEERS_DIR } from '../layout.js';
import { loadFashionMnistFixture } from '../data/fashion-mnist.js';
import { parameterShapes, type VaeArchitecture } from '../models/vae/architecture.js';
import { architectureOf } from '../models/vae/workloads.js';
import { noise } from '../models/vae/model.js';
import { oracleElbo, type ParameterValues } from '../models/vae/oracle-network.js';
import { deriveSeed, Rng } from '../seeds.js';
import type { PeerSpec } from './types.js';
import { PEER_PYTHON, readFloat64Parameters, runPython, writeFloat64File } from './python.js';

const SCRIPT = path.join(PEERS_DIR, 'torch_vae.py');
/** Same number of check images as the workloads' ELBO check. */
const CHECK_ROWS = 64;

interface TorchOutput {
  unavailable?: string;
  version: string;
  numpy: string;
  threads: number;
  samples_ms: number[];
  last_batch_elbo: number;
  steps: number;
}

function readParameters(file: string, a: VaeArchitecture): ParameterValues {
  const parts = parameterShapes(a).map((p) => ({ name: p.name, size: p.shape.reduce((x, y) => x * y, 1) }));
  return readFloat64Parameters(file, parts, 'torch_vae.py');
}

export const torchVaePeer: PeerSpec = {
  name: 'torch',
  models: ['vae'],
  async run(cell, seeds, timing) {
    const { batch } = cell.size;
    const threads = cell.size.threads ?? 1;
    // The same network as our train-step workload.
    const architecture = architectureOf(cell.size);
    const { train, test } = loadFashionMnistFixture();
    const file = writeFloat64File([train.x, train.y]);
    const paramFile = path.join(path.dirname(file), 'params.f64');
    try {
      const args = [file, train.rows, train.cols, batch, threads, timing.minIterations, timing.warmupIterations, architecture.hidden, architecture.latent, seeds.init % 2 ** 31, paramFile].map(String);
      const out = (await runPython(SCRIPT, args)) as unknown as TorchOutput;
      if (out.unavailable) return { unavailable: out.unavailable, fix: 'apt-get install python3-torch' };
      const rows = Math.min(CHECK_ROWS, test.rows);
      const x = Float32Array.from(test.x.subarray(0, rows * test.cols));
      const eps = noise(new Rng(deriveSeed(seeds.sampling, 'check')), rows, architecture.latent);
      const terms = oracleElbo(architecture, readParameters(paramFile, architecture), x, eps, rows);
      return {
        version: `PyTorch ${out.version}, numpy ${out.numpy}`,
        device: `CPU via ${PEER_PYTHON} (${out.threads} thread${out.threads === 1 ? '' : 's'})`,
        samplesMs: out.samples_ms,
        workPerRun: batch,
        workUnit: 'samples/s',
        objectiveName: 'ELBO',
        objective: terms.reduce((s, t) => s + t.elbo, 0) / rows,
        iterations: out.steps,
      };
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  },
};
