// A small float64 logistic regression (Newton's method with backtracking) written for the validate
// tests, with switches that plant the bugs of the broken-implementation catalogue. Correct with no
// switches on: it must pass every logreg check, so that each failure below is the planted bug's.
export function makeLogreg(bugs = {}) {
  let last;
  const softplus = (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
  const sigmoid = (z) => (bugs.naiveSigmoid ? Math.exp(z) / (1 + Math.exp(z)) : z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

  function fit({ X, y, params }) {
    const m = X.length;
    const d = X[0].length;
    const C = params.C === null && !bugs.ignoresNullC ? Infinity : (params.C ?? 1);
    // penalty weight on 1/2||w||^2 relative to the summed loss: J = pen/2 ||theta_pen||^2 + L * lossScale
    const lossScale = C === Infinity ? 1 : bugs.cAsLambda ? 1 / C : C;
    const pen = C === Infinity ? 0 : bugs.missingHalf ? 2 : 1;
    const n = d + 1;
    const penalised = (j) => j < d || bugs.penalisedIntercept;
    let theta = new Float64Array(n);
    // A clock-dependent start and a handful of iterations: the answer depends on when it ran.
    if (bugs.nondeterministic) theta = theta.map((_, j) => ((performance.now() * (j + 1)) % 1) - 0.5);
    const row = (i) => [...X[i], 1];
    const J = (th) => {
      let s = 0;
      for (let j = 0; j < n; j++) if (penalised(j)) s += 0.5 * pen * th[j] * th[j];
      for (let i = 0; i < m; i++) {
        const t = y[i] === 1 ? 1 : -1;
        s += lossScale * softplus(-t * row(i).reduce((a, v, j) => a + v * th[j], 0));
      }
      return s;
    };
    const maxIter = bugs.stopEarly ? 2 : bugs.nondeterministic ? 3 : 100;
    for (let iter = 0; iter < maxIter; iter++) {
      const g = new Float64Array(n);
      const H = Array.from({ length: n }, () => new Float64Array(n));
      for (let j = 0; j < n; j++) if (penalised(j)) {
        g[j] += pen * theta[j];
        H[j][j] += pen;
      }
      for (let i = 0; i < m; i++) {
        const r = row(i);
        const p = sigmoid(r.reduce((a, v, j) => a + v * theta[j], 0));
        const wgt = lossScale * p * (1 - p);
        for (let j = 0; j < n; j++) {
          g[j] += lossScale * (p - y[i]) * r[j];
          for (let k = 0; k < n; k++) H[j][k] += wgt * r[j] * r[k];
        }
      }
      for (let j = 0; j < n; j++) H[j][j] += 1e-12 * (1 + H[j][j]);
      const step = solve(H, g);
      const before = J(theta);
      let a = 1;
      let next;
      for (; a > 1e-12; a /= 2) {
        next = theta.map((v, j) => v - a * step[j]);
        if (J(next) <= before) break;
      }
      const moved = Math.max(...step.map((v) => Math.abs(a * v)));
      theta = next;
      if (moved < 1e-13 * (1 + Math.max(...theta.map(Math.abs)))) break;
    }
    last = { weights: Array.from(theta.subarray(0, d)), bias: theta[d] };
    return last;
  }

  function predict_proba({ X }) {
    const sign = bugs.sigmoidWrongSign ? -1 : 1;
    return { proba: X.map((x) => sigmoid(sign * x.reduce((a, v, j) => a + v * last.weights[j], last.bias))) };
  }

  return { hello: () => ({ name: `float64-logreg${Object.keys(bugs).length ? ' (' + Object.keys(bugs).join(', ') + ')' : ''}`, version: '1', models: ['logreg'] }), fit, predict_proba };
}

/** Gaussian elimination with partial pivoting. */
function solve(A, b) {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}
