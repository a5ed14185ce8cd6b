// Float64 oracle of the VAE objective (DESIGN §3), written from the formulas alone: log-likelihoods,
// the closed-form KL to N(0, I), the single-sample ELBO for given encoder/decoder outputs and noise,
// the IWAE bound, and the exact marginal of a linear-Gaussian model. No tfjs, no code shared with the model.
import { softplus } from '../../oracles/stable.js';

export const LOG_2PI = Math.log(2 * Math.PI);

/** log N(x; mean, diag exp(logvar)), summed over the vector. */
export function gaussianLogLikelihood(
  x: ArrayLike<number>,
  mean: ArrayLike<number>,
  logvar: ArrayLike<number>,
): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - mean[i];
    s += -0.5 * (LOG_2PI + logvar[i] + (d * d) / Math.exp(logvar[i]));
  }
  return s;
}

/** sum_i x_i log sigma(l_i) + (1 - x_i) log(1 - sigma(l_i)) for x in [0, 1], from logits, stably:
 *  log sigma(l) = -softplus(-l), log(1 - sigma(l)) = -softplus(l). */
export function bernoulliLogLikelihood(x: ArrayLike<number>, logits: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s -= x[i] * softplus(-logits[i]) + (1 - x[i]) * softplus(logits[i]);
  return s;
}

/** KL(N(mu, diag exp(logvar)) || N(0, I)) = 1/2 sum (mu^2 + sigma^2 - 1 - log sigma^2). */
export function klToStandardNormal(mu: ArrayLike<number>, logvar: ArrayLike<number>): number {
  let s = 0;
  // expm1: e^v - 1 - v computed as exp(v) - 1 - v rounds below 0 for tiny v.
  for (let i = 0; i < mu.length; i++) s += mu[i] * mu[i] + (Math.expm1(logvar[i]) - logvar[i]);
  return 0.5 * s;
}

export type DecoderOutput =
  | { readonly kind: 'bernoulli'; readonly logits: ArrayLike<number> }
  | { readonly kind: 'gaussian'; readonly mean: ArrayLike<number>; readonly logvar: ArrayLike<number> };

export function logLikelihood(x: ArrayLike<number>, out: DecoderOutput): number {
  return out.kind === 'bernoulli'
    ? bernoulliLogLikelihood(x, out.logits)
    : gaussianLogLikelihood(x, out.mean, out.logvar);
}

export interface ElboTerms {
  readonly elbo: number;
  readonly reconstruction: number;
  readonly kl: number;
}

/** The single-sample ELBO of one example: log p(x | z) at the decoder's output for z = mu + sigma eps,
 *  minus the closed-form KL. The caller decodes z; this only applies the formula. */
export function elboFromOutputs(
  x: ArrayLike<number>,
  mu: ArrayLike<number>,
  logvar: ArrayLike<number>,
  decoded: DecoderOutput,
): ElboTerms {
  const reconstruction = logLikelihood(x, decoded);
  const kl = klToStandardNormal(mu, logvar);
  return { elbo: reconstruction - kl, reconstruction, kl };
}

/** z = mu + exp(logvar / 2) * eps. */
export function reparameterise(mu: ArrayLike<number>, logvar: ArrayLike<number>, eps: ArrayLike<number>): Float64Array {
  return Float64Array.from(mu, (m, i) => m + Math.exp(0.5 * logvar[i]) * eps[i]);
}

/** log N(z; mean, diag exp(logvar)). */
export function logNormalDiag(z: ArrayLike<number>, mean: ArrayLike<number>, logvar: ArrayLike<number>): number {
  return gaussianLogLikelihood(z, mean, logvar);
}

/** log (1/k) sum exp(a_i), stable. */
export function logMeanExp(a: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < a.length; i++) max = Math.max(max, a[i]);
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.exp(a[i] - max);
  return max + Math.log(s / a.length);
}

/** The IWAE bound log (1/k) sum p(x, z_i) / q(z_i | x) from k noise vectors; k = 1 is the ELBO estimate. */
export function iwaeBound(
  x: ArrayLike<number>,
  mu: ArrayLike<number>,
  logvar: ArrayLike<number>,
  noises: readonly ArrayLike<number>[],
  decode: (z: Float64Array) => DecoderOutput,
): number {
  const zeros = new Float64Array(mu.length);
  const logWeights = noises.map((eps) => {
    const z = reparameterise(mu, logvar, eps);
    return logLikelihood(x, decode(z)) + logNormalDiag(z, zeros, zeros) - logNormalDiag(z, mu, logvar);
  });
  return logMeanExp(logWeights);
}

// ---- The linear-Gaussian model x = W z + b + N(0, s2 I), z ~ N(0, I): everything exact. ----

export interface LinearGaussian {
  /** D x L, row-major. */
  readonly W: Float64Array;
  readonly b: Float64Array;
  readonly s2: number;
  readonly D: number;
  readonly L: number;
}

/** Lower-triangular Cholesky factor of a symmetric positive-definite n x n matrix (row-major). */
export function cholesky(A: Float64Array, n: number): Float64Array {
  const Lf = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= Lf[i * n + k] * Lf[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error('cholesky: matrix is not positive definite');
        Lf[i * n + i] = Math.sqrt(s);
      } else Lf[i * n + j] = s / Lf[j * n + j];
    }
  }
  return Lf;
}

/** log N(x; b, W W^T + s2 I), the exact marginal likelihood. */
export function linearGaussianLogMarginal(model: LinearGaussian, x: ArrayLike<number>): number {
  const { W, b, s2, D, L } = model;
  const C = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < D; j++) {
      let s = i === j ? s2 : 0;
      for (let k = 0; k < L; k++) s += W[i * L + k] * W[j * L + k];
      C[i * D + j] = s;
    }
  }
  const Lc = cholesky(C, D);
  // Solve Lc u = x - b; then (x-b)^T C^-1 (x-b) = ||u||^2.
  const u = new Float64Array(D);
  let logDet = 0;
  let quad = 0;
  for (let i = 0; i < D; i++) {
    let s = x[i] - b[i];
    for (let k = 0; k < i; k++) s -= Lc[i * D + k] * u[k];
    u[i] = s / Lc[i * D + i];
    quad += u[i] * u[i];
    logDet += 2 * Math.log(Lc[i * D + i]);
  }
  return -0.5 * (D * LOG_2PI + logDet + quad);
}

/** The ELBO of the linear-Gaussian model for q = N(qMean, diag exp(qLogvar)), with the expectation
 *  taken exactly: E_q ||x - b - W z||^2 = ||x - b - W qMean||^2 + sum_k ||W_:k||^2 var_k. */
export function linearGaussianElbo(
  model: LinearGaussian,
  x: ArrayLike<number>,
  qMean: ArrayLike<number>,
  qLogvar: ArrayLike<number>,
): number {
  const { W, b, s2, D, L } = model;
  let sq = 0;
  for (let i = 0; i < D; i++) {
    let r = x[i] - b[i];
    for (let k = 0; k < L; k++) r -= W[i * L + k] * qMean[k];
    sq += r * r;
  }
  for (let k = 0; k < L; k++) {
    let col = 0;
    for (let i = 0; i < D; i++) col += W[i * L + k] * W[i * L + k];
    sq += col * Math.exp(qLogvar[k]);
  }
  const expectedLogLik = -0.5 * (D * (LOG_2PI + Math.log(s2)) + sq / s2);
  return expectedLogLik - klToStandardNormal(qMean, qLogvar);
}

/** The exact posterior p(z | x) = N(M^-1 W^T (x - b) / s2, M^-1), M = I + W^T W / s2. Returns its mean
 *  and the diagonal of its covariance, and whether the covariance is diagonal (W's columns orthogonal). */
export function linearGaussianPosterior(
  model: LinearGaussian,
  x: ArrayLike<number>,
): { mean: Float64Array; logvar: Float64Array; diagonal: boolean } {
  const { W, b, s2, D, L } = model;
  const M = new Float64Array(L * L);
  for (let p = 0; p < L; p++) {
    for (let q = 0; q < L; q++) {
      let s = p === q ? 1 : 0;
      for (let i = 0; i < D; i++) s += (W[i * L + p] * W[i * L + q]) / s2;
      M[p * L + q] = s;
    }
  }
  const inv = invertSpd(M, L);
  const rhs = new Float64Array(L);
  for (let k = 0; k < L; k++) {
    let s = 0;
    for (let i = 0; i < D; i++) s += (W[i * L + k] * (x[i] - b[i])) / s2;
    rhs[k] = s;
  }
  const mean = new Float64Array(L);
  let offDiagonal = 0;
  let diagonalScale = 0;
  for (let p = 0; p < L; p++) {
    for (let q = 0; q < L; q++) {
      mean[p] += inv[p * L + q] * rhs[q];
      if (p !== q) offDiagonal = Math.max(offDiagonal, Math.abs(inv[p * L + q]));
      else diagonalScale = Math.max(diagonalScale, inv[p * L + p]);
    }
  }
  const logvar = Float64Array.from({ length: L }, (_, k) => Math.log(inv[k * L + k]));
  return { mean, logvar, diagonal: offDiagonal <= 1e-12 * diagonalScale };
}

function invertSpd(A: Float64Array, n: number): Float64Array {
  const Lc = cholesky(A, n);
  const inv = new Float64Array(n * n);
  for (let col = 0; col < n; col++) {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= Lc[i * n + k] * y[k];
      y[i] = s / Lc[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= Lc[k * n + i] * inv[k * n + col];
      inv[i * n + col] = s / Lc[i * n + i];
    }
  }
  return inv;
}

/** The linear-Gaussian decoder's output for the generic ELBO and IWAE formulas. */
export function linearGaussianDecoder(model: LinearGaussian): (z: Float64Array) => DecoderOutput {
  const logvar = new Float64Array(model.D).fill(Math.log(model.s2));
  return (z) => {
    const mean = Float64Array.from(model.b);
    for (let i = 0; i < model.D; i++) for (let k = 0; k < model.L; k++) mean[i] += model.W[i * model.L + k] * z[k];
    return { kind: 'gaussian', mean, logvar };
  };
}
