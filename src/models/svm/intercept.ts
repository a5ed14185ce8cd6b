// The intercept b for a dual point alpha, from its gradient G = Q alpha - 1 (so 1 - t_i f_i = -G_i - t_i b):
// libsvm's choice (the mean over the free support vectors, else the middle of the feasible interval),
// moved into the interval of b that minimises the primal hinge sum for this alpha. At the optimum the
// two agree; away from it (a start whose free alphas sit near, not on, their margins) the primal
// with the moved b is the smaller upper bound, and the duality gap the truer one.

/** libsvm's rho, negated: the mean of -t_i G_i over the free alphas, or the middle of the feasible interval. */
function libsvmIntercept(alpha: Float64Array, t: Float64Array, g: Float64Array, C: number): number {
  let sum = 0;
  let free = 0;
  let ub = Infinity;
  let lb = -Infinity;
  for (let i = 0; i < alpha.length; i++) {
    const yg = t[i] * g[i];
    if (alpha[i] > 0 && alpha[i] < C) {
      sum += yg;
      free++;
    } else if ((alpha[i] >= C && t[i] < 0) || (alpha[i] <= 0 && t[i] > 0)) ub = Math.min(ub, yg);
    else lb = Math.max(lb, yg);
  }
  const rho = free > 0 ? sum / free : (ub + lb) / 2;
  return -rho;
}

/**
 * The interval of b minimising sum_i max(0, -G_i - t_i b). A positive row's term is active below its
 * breakpoint -G_i, a negative row's above G_i, so the slope is -#positives below every breakpoint
 * and rises by 1 at each: it is 0 between the #positives-th and the next. Undefined when a class
 * is empty (the sum then falls without bound).
 */
export function hingeMinimisingInterval(t: Float64Array, g: Float64Array): [number, number] | undefined {
  let positives = 0;
  const points = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    if (t[i] > 0) positives++;
    points[i] = t[i] > 0 ? -g[i] : g[i];
  }
  if (positives === 0 || positives === t.length) return undefined;
  points.sort();
  return [points[positives - 1], points[positives]];
}

export function intercept(alpha: Float64Array, t: Float64Array, g: Float64Array, C: number): number {
  const b = libsvmIntercept(alpha, t, g, C);
  const best = hingeMinimisingInterval(t, g);
  if (!best || !Number.isFinite(b)) return best ? (best[0] + best[1]) / 2 : b;
  return Math.min(Math.max(b, best[0]), best[1]);
}
