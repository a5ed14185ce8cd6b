// An example implementation under test: L2-regularised logistic regression by Newton's method in
// plain JavaScript, answering modelbench's protocol (docs/protocol.md) as a module. It stands for
// "your code" in the CI recipe (README.md here): a commit that makes it slower fails the gate.
//
//   modelbench validate --model logreg --impl examples/ci-recipe/logreg.mjs
//   modelbench run --suite examples/ci-recipe/ci-suite.json --no-reference --impl mine=examples/ci-recipe/logreg.mjs

/**
 * How many times predict_proba scores each row, on average (an ensemble of identical copies): the work per call. A
 * fraction scores the first rows once more than the rest (10.2: every row 10 times, the first fifth of them 11).
 */
const PASSES = 10;

let fitted;

export function hello() {
  return {
    name: 'example Newton logistic regression',
    version: '1.0.0',
    models: ['logreg'],
    workloads: { logreg: ['fit-from-host', 'predict'] },
  };
}

function sigmoid(z) {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Solves A x = r for a symmetric positive definite A (Cholesky), in place on copies. */
function solve(A, r) {
  const n = r.length;
  const L = A.map((row) => row.slice());
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) L[j][j] -= L[j][k] * L[j][k];
    L[j][j] = Math.sqrt(L[j][j]);
    for (let i = j + 1; i < n; i++) {
      for (let k = 0; k < j; k++) L[i][j] -= L[i][k] * L[j][k];
      L[i][j] /= L[j][j];
    }
  }
  const y = r.slice();
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) y[i] -= L[i][k] * y[k];
    y[i] /= L[i][i];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) y[i] -= L[k][i] * y[k];
    y[i] /= L[i][i];
  }
  return y;
}

export function fit({ X, y, params }) {
  const C = params?.C ?? 1;
  const tol = params?.tol ?? 1e-6;
  const m = X.length;
  const d = X[0].length;
  const theta = new Array(d + 1).fill(0); // weights, then the bias (unpenalised)
  const penalty = C === null ? 0 : 1;
  const scale = C === null ? 1 : C;
  for (let iter = 0; iter < 100; iter++) {
    const g = theta.map((v, j) => (j < d ? penalty * v : 0));
    const H = Array.from({ length: d + 1 }, (_, i) =>
      Array.from({ length: d + 1 }, (_, j) => (i === j && i < d ? penalty : 0) + (i === j ? 1e-12 : 0)),
    );
    for (let i = 0; i < m; i++) {
      const x = X[i];
      const t = y[i] === 1 ? 1 : -1;
      let z = theta[d];
      for (let j = 0; j < d; j++) z += theta[j] * x[j];
      const p = sigmoid(z);
      const gi = scale * (sigmoid(t * z) - 1) * t;
      const hi = scale * p * (1 - p);
      for (let j = 0; j <= d; j++) {
        const xj = j < d ? x[j] : 1;
        g[j] += gi * xj;
        for (let k = 0; k <= j; k++) H[j][k] += hi * xj * (k < d ? x[k] : 1);
      }
    }
    for (let j = 0; j <= d; j++) for (let k = j + 1; k <= d; k++) H[j][k] = H[k][j];
    if (Math.max(...g.map(Math.abs)) <= tol * scale * m) break;
    const step = solve(H, g);
    for (let j = 0; j <= d; j++) theta[j] -= step[j];
  }
  fitted = { weights: theta.slice(0, d), bias: theta[d] };
  return fitted;
}

export function predict_proba({ X }) {
  const n = X.length;
  const sum = new Array(n).fill(0);
  const copies = new Array(n).fill(0);
  const scorings = Math.round(PASSES * n);
  for (let k = 0; k < scorings; k++) {
    const i = k % n;
    const x = X[i];
    let z = fitted.bias;
    for (let j = 0; j < x.length; j++) z += fitted.weights[j] * x[j];
    sum[i] += sigmoid(z);
    copies[i] += 1;
  }
  return { proba: sum.map((s, i) => s / copies[i]) };
}
