// asv's step detection (airspeed-velocity/asv, asv/step_detect.py: detect_steps and what it calls),
// ported line for line without weights or missing data, as the reference src/history/steps.ts is
// measured against. asv fits a penalised piecewise-constant function in L1 (medians), solving the
// Potts problem exactly on windows of 20 points, merging pieces, and choosing the penalty by an
// information criterion found by golden-section search. The Python is BSD-3-Clause (asv's LICENSE.rst).

interface MuDist {
  mu(l: number, r: number): number;
  dist(l: number, r: number): number;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** L1Dist with unit weights: mu is the median of y[l..r] (inclusive), dist the sum of absolute deviations from it. */
function l1Dist(y: readonly number[]): MuDist {
  const n = y.length + 1;
  const mus = new Map<number, number>();
  const dists = new Map<number, number>();
  const mu = (l: number, r: number) => {
    const key = l * n + r;
    let v = mus.get(key);
    if (v === undefined) mus.set(key, (v = median(y.slice(l, r + 1))));
    return v;
  };
  const dist = (l: number, r: number) => {
    const key = l * n + r;
    let v = dists.get(key);
    if (v === undefined) {
      const m = mu(l, r);
      v = 0;
      for (let i = l; i <= r; i++) v += Math.abs(y[i] - m);
      dists.set(key, v);
    }
    return v;
  };
  return { mu, dist };
}

type Pieces = { right: number[]; values: number[]; dists: number[] };

function solvePotts(y: readonly number[], gamma: number, d: MuDist, minSize: number, maxSize: number): Pieces {
  const n = y.length;
  if (minSize >= n) return { right: [n], values: [d.mu(0, n - 1)], dists: [d.dist(0, n - 1)] };
  const B = new Array<number>(n + 1).fill(-gamma);
  const p = new Array<number>(n).fill(0);
  for (let r = 0; r < n; r++) {
    B[r + 1] = Infinity;
    const a = Math.max(r + 1 - maxSize, 0);
    const b = Math.max(r + 1 - minSize + 1, 0);
    for (let l = a; l < b; l++) {
      const cost = B[l] + gamma + d.dist(l, r);
      if (cost <= B[r + 1]) {
        B[r + 1] = cost;
        p[r] = l - 1;
      }
    }
  }
  const out: Pieces = { right: [], values: [], dists: [] };
  let r = n - 1;
  let l = p[r];
  while (r >= 0) {
    out.right.push(r + 1);
    out.values.push(d.mu(l + 1, r));
    out.dists.push(d.dist(l + 1, r));
    r = l;
    l = p[r];
  }
  out.right.reverse();
  out.values.reverse();
  out.dists.reverse();
  return out;
}

function mergeOnce(gamma: number, right: number[], d: MuDist): boolean {
  let minChange = 0;
  let minChangeJ = right.length;
  let l = 0;
  for (let j = 1; j < right.length; j++) {
    if (minChangeJ < j - 2) break;
    const change = d.dist(l, right[j] - 1) - (d.dist(l, right[j - 1] - 1) + d.dist(right[j - 1], right[j] - 1) + gamma);
    if (change <= minChange) {
      minChange = change;
      minChangeJ = j - 1;
    }
    l = right[j - 1];
  }
  if (minChangeJ >= right.length) return false;
  right.splice(minChangeJ, 1);
  return true;
}

function mergePieces(gamma: number, rightIn: readonly number[], d: MuDist, maxSize: number): Pieces {
  const right = [...rightIn];
  while (mergeOnce(gamma, right, d));
  let l = 0;
  for (let j = 1; j < right.length; j++) {
    let prev = d.dist(l, right[j - 1] - 1) + d.dist(right[j - 1], right[j] - 1);
    let newOff = 0;
    for (let off = -maxSize; off <= maxSize; off++) {
      if (right[j - 1] + off - 1 < l || right[j - 1] + off > right[j] - 1 || off === 0) continue;
      const score = d.dist(l, right[j - 1] + off - 1) + d.dist(right[j - 1] + off, right[j] - 1);
      if (score < prev) [newOff, prev] = [off, score];
    }
    right[j - 1] += newOff;
    l = right[j - 1];
  }
  const out: Pieces = { right, values: [], dists: [] };
  l = 0;
  for (const r of right) {
    out.dists.push(d.dist(l, r - 1));
    out.values.push(d.mu(l, r - 1));
    l = r;
  }
  return out;
}

function solvePottsApprox(y: readonly number[], gamma: number, d: MuDist): Pieces {
  const maxSize = 20;
  return mergePieces(gamma, solvePotts(y, gamma, d, 1, maxSize).right, d, maxSize);
}

function goldenSearch(f: (x: number) => number, a: number, b: number, xatol: number, ftol: number): number {
  const ratio = 2 / (1 + Math.sqrt(5));
  let x0 = (ratio * a - (1 - ratio) * b) / (2 * ratio - 1);
  let x3 = (ratio * b - (1 - ratio) * a) / (2 * ratio - 1);
  let x1 = ratio * x0 + (1 - ratio) * x3;
  let x2 = (1 - ratio) * x0 + ratio * x3;
  let f1 = f(x1);
  let f2 = f(x2);
  const f0 = Math.max(Math.abs(f1), Math.abs(f2));
  while (!(Math.abs(x0 - x3) < xatol || Math.abs(f1 - f2) < ftol * f0)) {
    if (f2 < f1) {
      [x0, x1] = [x1, x2];
      x2 = ratio * x1 + (1 - ratio) * x3;
      f1 = f2;
      f2 = f(x2);
    } else {
      [x3, x2] = [x2, x1];
      x1 = ratio * x2 + (1 - ratio) * x0;
      f2 = f1;
      f1 = f(x1);
    }
  }
  return f2 < f1 ? x2 : x1;
}

/** |E_0| + sum_{j>0} |E_j - rho E_{j-1}|: asv's L1 noise measure with a fitted lag-one correlation. */
function sigmaStar(y: readonly number[], pieces: Pieces, rho: number): number {
  let l = 1;
  let prev = y[0] - pieces.values[0];
  let s = Math.abs(prev);
  pieces.right.forEach((r, k) => {
    for (let i = l; i < r; i++) {
      const e = y[i] - pieces.values[k];
      s += Math.abs(e - rho * prev);
      prev = e;
    }
    l = r;
  });
  return s;
}

function solvePottsAutogamma(y: readonly number[]): Pieces {
  const n = y.length;
  const d = l1Dist(y);
  const beta = (4 * Math.log(n)) / n;
  const gamma0 = d.dist(0, n - 1) || 1;
  let best: { obj: number; pieces?: Pieces } = { obj: Infinity };
  const f = (x: number) => {
    const pieces = solvePottsApprox(y, gamma0 * Math.exp(x), d);
    const rho = goldenSearch((r) => sigmaStar(y, pieces, r), -1, 1, 0.05, 1e-8);
    const v = pieces.values;
    const sigma0 = Math.max(1e-300, v.length > 2 ? 0.1 * Math.min(...v.slice(1).map((x1, j) => Math.abs(x1 - v[j]))) : 0.001 * Math.min(...v.map(Math.abs)));
    const obj = beta * pieces.right.length + Math.log(sigma0 + sigmaStar(y, pieces, rho));
    if (obj < best.obj) best = { obj, pieces };
    return obj;
  };
  const a = Math.log(0.1 / n);
  goldenSearch(f, a, 0, Math.abs(a) * 0.1, 0);
  return best.pieces!;
}

/** asv's detect_steps: the segments [left, right) with their medians. */
export function asvDetectSteps(y: readonly number[]): { left: number; right: number; value: number }[] {
  if (y.length === 0) return [];
  const { right, values } = solvePottsAutogamma(y);
  return right.map((r, k) => ({ left: k === 0 ? 0 : right[k - 1], right: r, value: values[k] }));
}

/** The steps asv's segments imply: each boundary, with the change of level across it. */
export function asvSteps(y: readonly number[]): { index: number; delta: number }[] {
  const segs = asvDetectSteps(y);
  return segs.slice(1).map((s, k) => ({ index: s.left, delta: s.value - segs[k].value }));
}
