// Float64 building blocks shared by the oracles. Stable forms are part of the spec (DESIGN.md §3):
// log sigma(z) = -softplus(-z), never log(sigmoid(z)), so |z| up to 1e4 stays finite.

/** softplus(z) = log(1 + e^z), computed as max(z, 0) + log1p(e^-|z|). */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** sigma(z) without overflow for either sign of z. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Dot product of a row of a row-major matrix with a vector. */
export function rowDot(x: Float64Array, row: number, cols: number, w: ArrayLike<number>): number {
  let s = 0;
  const o = row * cols;
  for (let j = 0; j < cols; j++) s += x[o + j] * w[j];
  return s;
}

/** Compensated (Kahan-Babuska) summation: sums of 1e5 terms keep float64 accuracy. */
export function kahanSum(values: ArrayLike<number>): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}
