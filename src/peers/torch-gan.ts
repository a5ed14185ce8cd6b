// PyTorch (Debian's python3-torch) as the GAN's peer: the same networks (3 x 128 ReLU), Adam
// settings, loss and ring samples as our train-step workload, timed in the same run; its trained
// parameters are judged by our float64 V(D, G) on the same check samples and noise.
import fs from 'node:fs';
import path from 'node:path';
import { networkLayers, type GanArchitecture } from '../models/gan/architecture.js';
import { architectureOf, RING_DATA } from '../models/gan/workloads.js';
import { mixtureSample, RING8 } from '../models/gan/data.js';
import { noise } from '../models/gan/model.js';
import { valueFromLogits } from '../models/gan/objective.js';
import { oracleForward, type ParameterValues } from '../models/gan/oracle-network.js';
import { PEERS_DIR } from '../layout.js';
import { deriveSeed, Rng } from '../seeds.js';
import type { PeerSpec } from './types.js';
import { PEER_PYTHON, readFloat64Parameters, runPython, writeFloat64File } from './python.js';

const SCRIPT = path.join(PEERS_DIR, 'torch_gan.py');
/** As the workloads' value check. */
const CHECK_ROWS = 256;

interface TorchOutput {
  unavailable?: string;
  version: string;
  numpy: string;
  threads: number;
  samples_ms: number[];
  steps: number;
}

function readParameters(file: string, a: GanArchitecture): ParameterValues {
  const parts = (['g', 'd'] as const).flatMap((net) => networkLayers(a, net).flatMap((l) => [{ name: `${l.name}.w`, size: l.inputs * l.outputs }, { name: `${l.name}.b`, size: l.outputs }]));
  return readFloat64Parameters(file, parts, 'torch_gan.py');
}

export const torchGanPeer: PeerSpec = {
  name: 'torch-gan',
  models: ['gan'],
  async run(cell, seeds, timing) {
    const { batch } = cell.size;
    const threads = cell.size.threads ?? 1;
    // The same networks and ring samples as our train-step workload.
    const a = architectureOf(cell.size, RING_DATA);
    const pool = RING_DATA.pool(seeds);
    const file = writeFloat64File([pool.x, pool.y]);
    const dir = path.dirname(file);
    try {
      const args = [file, pool.rows, pool.cols, batch, threads, timing.minIterations, timing.warmupIterations, a.hidden, a.layers, a.noiseDim, seeds.init % 2 ** 31, path.join(dir, 'params.f64'), path.join(dir, 'samples.f64'), 1].map(String);
      const out = (await runPython(SCRIPT, args)) as unknown as TorchOutput;
      if (out.unavailable) return { unavailable: out.unavailable, fix: 'apt-get install python3-torch' };
      const p = readParameters(path.join(dir, 'params.f64'), a);
      const rng = new Rng(deriveSeed(seeds.sampling, 'check'));
      const real = Float32Array.from(mixtureSample(RING8, CHECK_ROWS, rng, 'check').x);
      const z = noise(rng, CHECK_ROWS, a.noiseDim);
      const value = valueFromLogits(oracleForward(a, 'd', p, real, CHECK_ROWS), oracleForward(a, 'd', p, oracleForward(a, 'g', p, z, CHECK_ROWS), CHECK_ROWS));
      return {
        version: `PyTorch ${out.version}, numpy ${out.numpy}`,
        device: `CPU via ${PEER_PYTHON} (${out.threads} thread${out.threads === 1 ? '' : 's'})`,
        samplesMs: out.samples_ms,
        workPerRun: 1,
        workUnit: 'iterations/s',
        objectiveName: 'V(D,G)',
        objective: value,
        iterations: out.steps,
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
