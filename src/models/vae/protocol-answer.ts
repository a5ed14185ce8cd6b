// A VAE as an implementation answers it (docs/protocol.md): its encoder's mu and log-variance, its
// decoder's outputs at z = mu + sigma eps, and the ELBO it reports for the same rows and noise, so
// that the float64 formulas can recompute that ELBO from its own parts.
import { matrix, numbers, type Answer, type Request } from '../../protocol/messages.js';
import { ImplementationError } from '../../errors.js';
import { reparameterise, type DecoderOutput } from './objective.js';

export function decoderOutputs(answer: Answer, rows: number, cols: number): DecoderOutput[] {
  if ('logits' in answer) return matrix(answer, 'logits', rows, cols).map((logits) => ({ kind: 'bernoulli', logits }));
  if ('mean' in answer && 'logvar' in answer) {
    const mean = matrix(answer, 'mean', rows, cols);
    const logvar = matrix(answer, 'logvar', rows, cols);
    return mean.map((m, i) => ({ kind: 'gaussian', mean: m, logvar: logvar[i] }));
  }
  throw new ImplementationError(
    `decode must answer {"logits"} or {"mean", "logvar"}, got keys ${Object.keys(answer).join(', ')}`,
  );
}

/** The implementation's encoder, decoder (at z = mu + sigma eps) and ELBO on the same rows and noise. */
export async function implOutputs(
  request: (m: Request) => Promise<Answer>,
  X: number[][],
  eps: number[][],
  latent: number,
) {
  const enc = await request({ op: 'encode', model: 'vae', X });
  const mu = matrix(enc, 'mu', X.length, latent);
  const logvar = matrix(enc, 'logvar', X.length, latent);
  const Z = mu.map((m, i) => Array.from(reparameterise(m, logvar[i], eps[i])));
  const decoded = decoderOutputs(await request({ op: 'decode', model: 'vae', Z }), X.length, X[0].length);
  const elbo = numbers(await request({ op: 'elbo', model: 'vae', X, eps }), 'elbo', X.length);
  return { mu, logvar, decoded, elbo };
}
