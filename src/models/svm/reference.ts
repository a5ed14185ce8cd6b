// The reference SVM behind the validate protocol: fit and decision_function.
import { DEFAULT_BASE_SEED, seedsFrom } from '../../seeds.js';
import { dataset, tfjs, type ReferenceHandler, type Request } from '../reference-request.js';
import { fitSvmModel } from './fit.js';

interface Fitted {
  readonly X: number[][];
  readonly weights?: number[];
  readonly bias: number;
  readonly support: number[];
  readonly dualCoef: number[];
  readonly gamma?: number;
}

let last: Fitted | undefined;

async function fit(r: Request) {
  // "C": null means a hard margin: C = inf in our implementation.
  const c = r.params?.C;
  const C = c === null ? 'inf' : c === undefined ? '1' : String(c);
  const kernel = r.params?.kernel ?? 'linear';
  const options = { C, kernel, ...(kernel === 'rbf' ? { gamma: String(r.params?.gamma ?? 'scale') } : {}) };
  const p = (await fitSvmModel(await tfjs(), dataset(r.X!, r.y!), options, seedsFrom(DEFAULT_BASE_SEED))).parameters;
  const weights = p.weights as number[] | undefined;
  last = {
    X: r.X!,
    weights,
    bias: p.bias as number,
    support: p.support as number[],
    dualCoef: p.dual_coef as number[],
    gamma: p.gamma as number | undefined,
  };
  return { bias: last.bias, ...(weights ? { weights } : {}), dual_coef: last.dualCoef, support: last.support };
}

function decision_function(r: Request) {
  const m = last;
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

export const SVM_REFERENCE: ReferenceHandler = { fit, decision_function };
