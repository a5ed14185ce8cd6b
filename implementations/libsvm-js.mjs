// A modelbench validate adapter for the npm package libsvm-js (libsvm 3.22 compiled to WebAssembly),
// as a JavaScript module: each export answers the protocol message of the same name.
//
//   modelbench validate --model svm --impl implementations/libsvm-js.mjs
//   modelbench run --impl libsvm-js                              (bundled: this file)
//
// libsvm-js exposes no decision values, so the adapter reads the dual coefficients and rho from the
// serialised model (libsvm's model file) and computes f(x) = sum coef K(sv, x) - rho itself.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const version = require('libsvm-js/package.json').version;
const SVMPromise = require('libsvm-js');

let last;

export function hello() {
  return { name: 'libsvm-js', version, models: ['svm'] };
}

function parseModel(text) {
  const header = {};
  const lines = text.split('\n');
  let k = 0;
  for (; k < lines.length && lines[k] !== 'SV'; k++) {
    const [key, ...rest] = lines[k].trim().split(/\s+/);
    header[key] = rest;
  }
  const coefs = [];
  for (k++; k < lines.length; k++) if (lines[k].trim()) coefs.push(Number(lines[k].trim().split(/\s+/)[0]));
  return { rho: Number(header.rho[0]), labels: header.label.map(Number), gamma: header.gamma ? Number(header.gamma[0]) : undefined, coefs };
}

export async function fit({ X, y, params }) {
  const SVM = await SVMPromise;
  const kernel = params.kernel === 'rbf' ? SVM.KERNEL_TYPES.RBF : SVM.KERNEL_TYPES.LINEAR;
  const C = params.C === null ? 1e10 : (params.C ?? 1);
  const options = { type: SVM.SVM_TYPES.C_SVC, kernel, cost: C, quiet: true, ...(params.kernel === 'rbf' ? { gamma: params.gamma } : {}) };
  const svm = new SVM(options);
  svm.train(X, y);
  const model = parseModel(svm.serializeModel());
  const support = svm.getSVIndices();
  svm.free();
  // libsvm's decision is positive for its first label; the protocol's for +1.
  const sign = model.labels[0] === 1 ? 1 : -1;
  const dualCoef = model.coefs.map((c) => sign * c);
  const bias = -sign * model.rho;
  last = { X, support, dualCoef, bias, kernel: params.kernel ?? 'linear', gamma: params.gamma };
  const answer = { bias, dual_coef: dualCoef, support };
  if (last.kernel === 'linear') {
    answer.weights = X[0].map((_, j) => support.reduce((s, i, k) => s + dualCoef[k] * X[i][j], 0));
  }
  return answer;
}

export function decision_function({ X }) {
  const k = (a, b) => (last.kernel === 'rbf' ? Math.exp(-last.gamma * a.reduce((s, v, j) => s + (v - b[j]) ** 2, 0)) : a.reduce((s, v, j) => s + v * b[j], 0));
  return { scores: X.map((x) => last.support.reduce((s, i, j) => s + last.dualCoef[j] * k(last.X[i], x), last.bias)) };
}
