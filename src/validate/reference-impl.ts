// modelbench's own reference implementations behind the validate protocol, as one JavaScript module:
// `modelbench validate --impl src/validate/reference-impl.ts` runs the same checks a user's code meets.
// Each export answers the protocol message of its name; the models live in reference/.
import { fitClassifier } from './reference/classifiers.js';
import type { Request } from './reference/common.js';
import { fitGan } from './reference/gan.js';
import { fitVae } from './reference/vae.js';

export { decision_function, predict_proba } from './reference/classifiers.js';
export { discriminate, fit_discriminator, generate, value } from './reference/gan.js';
export { decode, elbo, encode } from './reference/vae.js';

export function hello() {
  return { name: 'modelbench reference (tfjs wasm)', version: '0.1.0', models: ['logreg', 'svm', 'vae', 'gan'] };
}

export async function fit(r: Request) {
  if (r.model === 'vae') return fitVae(r);
  if (r.model === 'gan') return fitGan(r);
  return fitClassifier(r);
}
