// modelbench's own reference implementations behind the validate protocol, as one JavaScript module:
// `modelbench validate --impl src/validate/reference-impl.ts` runs the same checks a user's code meets.
// Each export answers the protocol message of its name; the models live in reference/.
import { fitClassifier } from '../models/classifier-reference.js';
import type { Request } from '../models/reference-request.js';
import { fitGan } from '../models/gan/reference.js';
import { fitVae } from '../models/vae/reference.js';

export { decision_function, predict_proba } from '../models/classifier-reference.js';
export { discriminate, fit_discriminator, generate, value } from '../models/gan/reference.js';
export { decode, elbo, encode } from '../models/vae/reference.js';

export function hello() {
  return { name: 'modelbench reference (tfjs wasm)', version: '0.1.0', models: ['logreg', 'svm', 'vae', 'gan'] };
}

export async function fit(r: Request) {
  if (r.model === 'vae') return fitVae(r);
  if (r.model === 'gan') return fitGan(r);
  return fitClassifier(r);
}
