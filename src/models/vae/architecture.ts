import type { DenseLayer } from '../dense-flops.js';

// The VAE's documented architecture as data: the model builds tensors from it and the float64 oracle
// recomputes the same network from it, so neither has to read the other's code.
export type Likelihood = 'bernoulli' | 'gaussian';

export interface VaeArchitecture {
  readonly input: number;
  /** Width of the one hidden ReLU layer in encoder and decoder; 0 makes both linear. */
  readonly hidden: number;
  readonly latent: number;
  readonly likelihood: Likelihood;
  /** Gaussian decoder only: 'learned' (one log-variance per dimension) or a fixed variance. */
  readonly gaussianVariance: 'learned' | number;
}

/** The standard network of the issue: 784-400-20-400-784, Bernoulli on [0, 1] pixels. */
export const STANDARD_ARCHITECTURE: VaeArchitecture = {
  input: 784,
  hidden: 400,
  latent: 20,
  likelihood: 'bernoulli',
  gaussianVariance: 'learned',
};

export interface ParameterShape {
  readonly name: string;
  readonly shape: readonly number[];
  /** Glorot-uniform fan for weights; biases and log-variances start at 0. */
  readonly kind: 'weight' | 'zero';
}

/** Every trainable parameter, in a fixed order: encoder, heads, decoder, output. */
export function parameterShapes(a: VaeArchitecture): ParameterShape[] {
  const encoderOut = a.hidden > 0 ? a.hidden : a.input;
  const decoderOut = a.hidden > 0 ? a.hidden : a.latent;
  const shapes: ParameterShape[] = [];
  if (a.hidden > 0) {
    shapes.push(
      { name: 'enc.w', shape: [a.input, a.hidden], kind: 'weight' },
      { name: 'enc.b', shape: [a.hidden], kind: 'zero' },
    );
  }
  shapes.push(
    { name: 'mu.w', shape: [encoderOut, a.latent], kind: 'weight' },
    { name: 'mu.b', shape: [a.latent], kind: 'zero' },
    { name: 'logvar.w', shape: [encoderOut, a.latent], kind: 'weight' },
    { name: 'logvar.b', shape: [a.latent], kind: 'zero' },
  );
  if (a.hidden > 0) {
    shapes.push(
      { name: 'dec.w', shape: [a.latent, a.hidden], kind: 'weight' },
      { name: 'dec.b', shape: [a.hidden], kind: 'zero' },
    );
  }
  shapes.push(
    { name: 'out.w', shape: [decoderOut, a.input], kind: 'weight' },
    { name: 'out.b', shape: [a.input], kind: 'zero' },
  );
  if (a.likelihood === 'gaussian' && a.gaussianVariance === 'learned')
    shapes.push({ name: 'out.logvar', shape: [a.input], kind: 'zero' });
  return shapes;
}

export function describe(a: VaeArchitecture): string {
  const layers = a.hidden > 0 ? [a.input, a.hidden, a.latent, a.hidden, a.input] : [a.input, a.latent, a.input];
  const variance =
    a.likelihood === 'gaussian'
      ? a.gaussianVariance === 'learned'
        ? ', learned variance'
        : `, variance ${a.gaussianVariance}`
      : '';
  return `${layers.join('-')} ${a.likelihood}${variance}`;
}

/** The dense layers as products: [inputs, outputs] of every weight, and which of them read the data. */
export function denseLayers(a: VaeArchitecture): {
  all: DenseLayer[];
  encoder: DenseLayer[];
  decoder: DenseLayer[];
  fromData: DenseLayer[];
} {
  const layer = (name: string) => {
    const w = parameterShapes(a).find((p) => p.name === name);
    return w ? [{ inputs: w.shape[0], outputs: w.shape[1] }] : [];
  };
  const encoder = [...layer('enc.w'), ...layer('mu.w'), ...layer('logvar.w')];
  const decoder = [...layer('dec.w'), ...layer('out.w')];
  const fromData = a.hidden > 0 ? layer('enc.w') : [...layer('mu.w'), ...layer('logvar.w')];
  return { all: [...encoder, ...decoder], encoder, decoder, fromData };
}
