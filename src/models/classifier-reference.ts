// The reference logistic regression and SVM behind the validate protocol.
import { logisticRegression } from './logistic-regression/index.js';
import { svm } from './svm/index.js';
import { sigmoid } from '../oracles/stable.js';
import { DEFAULT_BASE_SEED, seedsFrom } from '../seeds.js';
import { dataset, tfjs, type Request } from './reference-request.js';

let lastLogreg: { weights: number[]; bias: number } | undefined;
let lastSvm: { X: number[][]; t: number[]; weights?: number[]; bias: number; support: number[]; dualCoef: number[]; gamma?: number } | undefined;

export async function fitClassifier(r: Request) {
  const data = dataset(r.X!, r.y!);
  // "C": null means no penalty (logreg) or a hard margin (svm): C = inf in our implementations.
  const c = r.params?.C;
  const C = c === null ? 'inf' : c === undefined ? '1' : String(c);
  if (r.model === 'logreg') {
    const s = await logisticRegression.fit(await tfjs(), data, { C, tol: '1e-9' }, seedsFrom(DEFAULT_BASE_SEED));
    lastLogreg = { weights: s.parameters.weights as number[], bias: s.parameters.bias as number };
    return lastLogreg;
  }
  if (r.model === 'svm') {
    const kernel = r.params?.kernel ?? 'linear';
    const options = { C, kernel, ...(kernel === 'rbf' ? { gamma: String(r.params?.gamma ?? 'scale') } : {}) };
    const s = await svm.fit(await tfjs(), data, options, seedsFrom(DEFAULT_BASE_SEED));
    const p = s.parameters;
    lastSvm = { X: r.X!, t: r.y!, weights: p.weights as number[] | undefined, bias: p.bias as number, support: p.support as number[], dualCoef: p.dual_coef as number[], gamma: p.gamma as number | undefined };
    return { bias: lastSvm.bias, ...(lastSvm.weights ? { weights: lastSvm.weights } : {}), dual_coef: lastSvm.dualCoef, support: lastSvm.support };
  }
  return { error: `model '${r.model}' is not implemented here` };
}

export function predict_proba(r: Request) {
  if (!lastLogreg) return { error: 'predict_proba before fit' };
  const { weights, bias } = lastLogreg;
  return { proba: r.X!.map((x) => sigmoid(x.reduce((s, v, j) => s + v * weights[j], bias))) };
}

export function decision_function(r: Request) {
  const m = lastSvm;
  if (!m) return { error: 'decision_function before fit' };
  const scores = r.X!.map((x) => {
    if (m.weights) return x.reduce((s, v, j) => s + v * m.weights![j], m.bias);
    return m.support.reduce((s, i, k) => {
      const d2 = x.reduce((acc, v, j) => acc + (v - m.X[i][j]) ** 2, 0);
      return s + m.dualCoef[k] * Math.exp(-m.gamma! * d2);
    }, m.bias);
  });
  return { scores };
}
