// The reference logistic regression behind the validate protocol: fit and predict_proba.
import { sigmoid } from '../../oracles/stable.js';
import { dataset, tfjs, type ReferenceHandler, type Request } from '../reference-request.js';
import { fitLogreg } from './fit.js';

let last: { weights: number[]; bias: number } | undefined;

async function fit(r: Request) {
  // "C": null means no penalty: C = inf in our implementation.
  const c = r.params?.C;
  const C = c === null ? 'inf' : c === undefined ? '1' : String(c);
  const s = await fitLogreg(await tfjs(), dataset(r.X!, r.y!), { C, tol: '1e-9' });
  last = { weights: s.parameters.weights as number[], bias: s.parameters.bias as number };
  return last;
}

function predict_proba(r: Request) {
  if (!last) return { error: 'predict_proba before fit' };
  const { weights, bias } = last;
  return { proba: r.X!.map((x) => sigmoid(x.reduce((s, v, j) => s + v * weights[j], bias))) };
}

export const LOGREG_REFERENCE: ReferenceHandler = { fit, predict_proba };
