// Judges an implementation's SVM by our float64 oracle: its decision values on the training rows, then the
// primal P = 1/2 ||w||^2 + C sum hinge, with ||w||^2 from the peer's own expansion.
import { hinge, kernelValue, type Kernel } from './objective.js';

export function primalFromExpansion(
  x: Float64Array,
  t: Float64Array,
  rows: number,
  cols: number,
  C: number,
  kernel: Kernel,
  sv: readonly Float64Array[],
  coef: readonly number[],
  bias: number,
): number {
  const flat = new Float64Array(sv.length * cols);
  sv.forEach((v, j) => flat.set(v, j * cols));
  const svProblem = { x: flat, cols, kernel };
  let quad = 0;
  for (let a = 0; a < sv.length; a++)
    for (let b = 0; b < sv.length; b++) quad += coef[a] * coef[b] * kernelValue(svProblem, a, flat, b * cols);
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    let f = bias;
    for (let j = 0; j < sv.length; j++) f += coef[j] * kernelValue(svProblem, j, x, i * cols);
    loss += hinge(t[i] * f);
  }
  return 0.5 * quad + C * loss;
}
