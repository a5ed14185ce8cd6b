// Symmetric positive (semi)definite systems in float64 for the Newton steps (logistic regression's
// polish, the SVM's smoothed primal): Cholesky, with a ridge that grows from round-off size only
// where the matrix is singular.

/** Solves H x = g by Cholesky; a tiny ridge rescues a singular H (collinear features with C = inf). */
export function solveSpd(h: Float64Array, g: Float64Array): Float64Array {
  const n = g.length;
  let trace = 0;
  for (let a = 0; a < n; a++) trace += h[a * n + a];
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-12 * (trace / n || 1) : ridge * 100) {
    const l = cholesky(h, n, ridge);
    if (!l) continue;
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = g[i];
      for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
      y[i] = s / l[i * n + i];
    }
    const x = new Float64Array(n);
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
      x[i] = s / l[i * n + i];
    }
    return x;
  }
}

function cholesky(h: Float64Array, n: number, ridge: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = h[i * n + j] + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  return l;
}
