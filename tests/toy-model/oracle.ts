// The toy model's float64 oracle: the mean of the values, by compensated (Kahan) summation, written
// apart from the model so that a wrong model cannot agree with it by sharing its arithmetic.
export function meanOracle(values: ArrayLike<number>): number {
  let sum = 0;
  let carry = 0;
  for (let i = 0; i < values.length; i++) {
    const y = values[i] - carry;
    const t = sum + y;
    carry = t - sum - y;
    sum = t;
  }
  return sum / values.length;
}

/** J(mu) = 1/2 mean (x - mu)^2, minimised by the mean: what the toy "fit" optimises. */
export function squaredError(values: ArrayLike<number>, mu: number): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] - mu) ** 2;
  return s / (2 * values.length);
}
