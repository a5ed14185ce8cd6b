// The VAE as a twin problem (src/models/twin.ts): our Glorot-uniform initial parameters, and per
// step the next batch of the training rows in order and the reparameterisation noise eps of its examples.
import type * as tfc from '@tensorflow/tfjs';
import { deriveSeed, Rng, type Seeds } from '../../seeds.js';
import type { Dataset, Tf } from '../../types.js';
import type { TwinInput, TwinProblem, TwinStepper } from '../twin.js';
import { parameterShapes, type VaeArchitecture } from './architecture.js';
import { ADAM_DEFAULTS, createVae, noise, readParameters, trainStep, type AdamConfig } from './model.js';

export interface VaeTwinConfig {
  readonly architecture: VaeArchitecture;
  readonly adam?: AdamConfig;
  readonly batchSize: number;
  readonly steps: number;
}

/** The values createVae draws from the init seed (Glorot-uniform weights, zeros), rounded to float32. */
export function vaeInitialParameters(a: VaeArchitecture, initSeed: number): Record<string, Float64Array> {
  const rng = new Rng(initSeed);
  const out: Record<string, Float64Array> = {};
  for (const p of parameterShapes(a)) {
    const size = p.shape.reduce((x, y) => x * y, 1);
    const values = new Float32Array(size);
    const limit = p.kind === 'weight' ? Math.sqrt(6 / (p.shape[0] + p.shape[1])) : 0;
    if (p.kind === 'weight') for (let i = 0; i < size; i++) values[i] = (2 * rng.uniform() - 1) * limit;
    out[p.name] = Float64Array.from(values);
  }
  return out;
}

function ourStepper(tf: Tf, a: VaeArchitecture, adam: AdamConfig, initial: TwinProblem['initial']): TwinStepper {
  const net = createVae(tf, a, 0, adam);
  for (const [name, v] of net.params) {
    const t = tf.tensor(Float32Array.from(initial[name]), v.shape);
    v.assign(t);
    t.dispose();
  }
  return {
    async step(inputs) {
      const x = tf.tensor2d(inputs.batches.values, [...inputs.batches.shape]) as tfc.Tensor2D;
      const eps = tf.tensor2d(inputs.noise.values, [...inputs.noise.shape]) as tfc.Tensor2D;
      try {
        return { value: await trainStep(tf, net, x, eps), parameters: await readParameters(net) };
      } finally {
        tf.dispose([x, eps]);
      }
    },
    dispose: () => net.dispose(),
  };
}

export function vaeTwinProblem(data: Dataset, config: VaeTwinConfig, seeds: Seeds): TwinProblem {
  const { architecture: a, batchSize: batch } = config;
  const adam = config.adam ?? ADAM_DEFAULTS;
  if (a.likelihood === 'gaussian' && a.gaussianVariance !== 'learned') {
    throw new Error("the protocol's Gaussian VAE learns its variance: use the learned variance with --twin");
  }
  if (data.cols !== a.input) throw new Error(`the data has ${data.cols} columns but the VAE takes ${a.input}`);
  const initial = vaeInitialParameters(a, seeds.init);
  const noiseRng = new Rng(deriveSeed(seeds.sampling, 'twin-noise'));
  const drawn: Record<string, TwinInput>[] = [];
  const inputs = (step: number) => {
    while (drawn.length < step) {
      const start = (drawn.length * batch) % data.rows;
      const rows = Float32Array.from({ length: batch * a.input }, (_, i) => {
        const r = (start + Math.floor(i / a.input)) % data.rows;
        return data.x[r * a.input + (i % a.input)];
      });
      drawn.push({
        batches: { values: rows, shape: [batch, a.input] },
        noise: { values: noise(noiseRng, batch, a.latent), shape: [batch, a.latent] },
      });
    }
    return drawn[step - 1];
  };
  const shapes = Object.fromEntries(parameterShapes(a).map((p) => [p.name, p.shape]));
  const initParams = { input: a.input, hidden: a.hidden, latent: a.latent, likelihood: a.likelihood };
  return {
    model: 'vae',
    initParams: { ...initParams, lr: adam.learningRate, beta1: adam.beta1, beta2: adam.beta2, seed: seeds.init },
    initial,
    shapes,
    steps: config.steps,
    valueField: 'elbo',
    batch,
    inputs,
    ours: (tf) => ourStepper(tf, a, adam, initial),
  };
}
