// The GAN as a twin problem: our initial parameters, and per step one real batch drawn from the data
// and the noise of the D update then of the G update, from the streams our fit draws them from.
import type * as tfc from '@tensorflow/tfjs';
import { deriveSeed, Rng, type Seeds } from '../../seeds.js';
import type { Dataset, Tf } from '../../types.js';
import { networkLayers, type GanArchitecture } from './architecture.js';
import { drawRows } from './data.js';
import { createGanFrom, initialParameters, noise, readParameters, trainStep, type GanTraining } from './model.js';
import type { TwinInput, TwinProblem, TwinStepper } from '../twin.js';
import { ganInitParams } from './init-params.js';

export interface GanTwinConfig {
  readonly architecture: GanArchitecture;
  readonly training: GanTraining;
  readonly batchSize: number;
  readonly steps: number;
}

export function ganShapes(a: GanArchitecture): Record<string, readonly number[]> {
  const out: Record<string, readonly number[]> = {};
  for (const net of ['g', 'd'] as const) {
    for (const l of networkLayers(a, net)) {
      out[`${l.name}.w`] = [l.inputs, l.outputs];
      out[`${l.name}.b`] = [l.outputs];
    }
  }
  return out;
}

function ourStepper(tf: Tf, a: GanArchitecture, training: GanTraining, initial: TwinProblem['initial']): TwinStepper {
  const net = createGanFrom(tf, a, initial, training);
  return {
    async step(inputs) {
      const { batches, noise: z } = inputs;
      const rows = batches.shape[0];
      const real = tf.tensor2d(batches.values, [rows, a.dataDim]);
      const zs = [0, 1].map((k) =>
        tf.tensor2d(z.values.subarray(k * rows * a.noiseDim, (k + 1) * rows * a.noiseDim), [rows, a.noiseDim]),
      );
      try {
        const r = await trainStep(tf, net, [real as tfc.Tensor2D], zs as tfc.Tensor2D[]);
        return { value: r.value, parameters: await readParameters(net) };
      } finally {
        tf.dispose([real, ...zs]);
      }
    },
    dispose: () => net.dispose(),
  };
}

export function ganTwinProblem(data: Dataset, config: GanTwinConfig, seeds: Seeds): TwinProblem {
  const { architecture: a, training, batchSize: batch } = config;
  if (training.dSteps !== 1)
    throw new Error(
      `--d-steps ${training.dSteps}: the protocol's train_steps makes one D and one G update per step; ` +
        'use --d-steps 1 with --twin',
    );
  if (data.cols !== a.dataDim)
    throw new Error(`the data has ${data.cols} columns but the generator makes ${a.dataDim}`);
  const initial = initialParameters(a, seeds.init);
  const batchRng = new Rng(deriveSeed(seeds.sampling, 'batches'));
  const noiseRng = new Rng(deriveSeed(seeds.sampling, 'noise'));
  // Drawn in step order, as trainGan draws them: step k's inputs are those of our fit's step k.
  const drawn: Record<string, TwinInput>[] = [];
  const inputs = (step: number) => {
    while (drawn.length < step) {
      drawn.push({
        batches: { values: drawRows(data, batch, batchRng), shape: [batch, a.dataDim] },
        noise: {
          values: Float32Array.of(...noise(noiseRng, batch, a.noiseDim), ...noise(noiseRng, batch, a.noiseDim)),
          shape: [2 * batch, a.noiseDim],
        },
      });
    }
    return drawn[step - 1];
  };
  return {
    model: 'gan',
    initParams: ganInitParams(a, training, seeds.init),
    initial,
    shapes: ganShapes(a),
    steps: config.steps,
    batch,
    inputs,
    ours: (tf) => ourStepper(tf, a, training, initial),
  };
}
