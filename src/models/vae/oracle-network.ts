// The VAE network recomputed in float64 from its documented architecture and a copy of its parameters:
// h = relu(x W_enc + b_enc); mu = h W_mu + b_mu; logvar = h W_lv + b_lv; z = mu + exp(logvar/2) eps;
// g = relu(z W_dec + b_dec); out = g W_out + b_out (logits, or the Gaussian mean).
import type { VaeArchitecture } from './architecture.js';
import { elboFromOutputs, reparameterise, type DecoderOutput, type ElboTerms } from './objective.js';

export type ParameterValues = Readonly<Record<string, Float64Array>>;

function affine(x: ArrayLike<number>, w: Float64Array, b: Float64Array, outDim: number, relu: boolean): Float64Array {
  const inDim = x.length;
  const y = Float64Array.from(b);
  for (let i = 0; i < inDim; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const row = i * outDim;
    for (let j = 0; j < outDim; j++) y[j] += xi * w[row + j];
  }
  if (relu) for (let j = 0; j < outDim; j++) if (y[j] < 0) y[j] = 0;
  return y;
}

function param(p: ParameterValues, name: string): Float64Array {
  const v = p[name];
  if (!v) throw new Error(`oracle: parameter '${name}' is missing`);
  return v;
}

export function oracleEncode(
  a: VaeArchitecture,
  p: ParameterValues,
  x: ArrayLike<number>,
): { mu: Float64Array; logvar: Float64Array } {
  const h = a.hidden > 0 ? affine(x, param(p, 'enc.w'), param(p, 'enc.b'), a.hidden, true) : x;
  return {
    mu: affine(h, param(p, 'mu.w'), param(p, 'mu.b'), a.latent, false),
    logvar: affine(h, param(p, 'logvar.w'), param(p, 'logvar.b'), a.latent, false),
  };
}

export function oracleDecode(a: VaeArchitecture, p: ParameterValues, z: ArrayLike<number>): DecoderOutput {
  const g = a.hidden > 0 ? affine(z, param(p, 'dec.w'), param(p, 'dec.b'), a.hidden, true) : z;
  const out = affine(g, param(p, 'out.w'), param(p, 'out.b'), a.input, false);
  if (a.likelihood === 'bernoulli') return { kind: 'bernoulli', logits: out };
  const logvar =
    a.gaussianVariance === 'learned'
      ? param(p, 'out.logvar')
      : new Float64Array(a.input).fill(Math.log(a.gaussianVariance));
  return { kind: 'gaussian', mean: out, logvar };
}

/** Per-example ELBO terms of rows of x (row-major, a.input wide) with the given noise (a.latent wide). */
export function oracleElbo(
  a: VaeArchitecture,
  p: ParameterValues,
  x: Float64Array | Float32Array,
  eps: Float64Array | Float32Array,
  rows: number,
): ElboTerms[] {
  const out: ElboTerms[] = [];
  for (let r = 0; r < rows; r++) {
    const xr = x.subarray(r * a.input, (r + 1) * a.input);
    const { mu, logvar } = oracleEncode(a, p, xr);
    const z = reparameterise(mu, logvar, eps.subarray(r * a.latent, (r + 1) * a.latent));
    out.push(elboFromOutputs(xr, mu, logvar, oracleDecode(a, p, z)));
  }
  return out;
}
