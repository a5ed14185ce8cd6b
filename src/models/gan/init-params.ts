// The GAN's `init` request as the protocol states it: one place, so that every request that starts an
// implementation's networks (timed workloads, fit --impl, the twin) asks for the same ones as ours.
import type { GanArchitecture } from './architecture.js';
import type { GanTraining } from './model.js';

/** `init`'s params: the implementation builds the networks and the Adam ours has. */
export function ganInitParams(a: GanArchitecture, t: GanTraining, seed: number): Record<string, unknown> {
  return {
    data_dim: a.dataDim,
    noise: a.noiseDim,
    hidden: a.hidden,
    layers: a.layers,
    lr: t.learningRate,
    beta1: t.beta1,
    beta2: t.beta2,
    loss: t.generatorLoss,
    seed,
  };
}
