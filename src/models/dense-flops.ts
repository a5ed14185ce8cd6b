// Floating-point work of dense layers, counted as the products a step computes: 2 x batch x in x out
// per layer forward; backward, the same again for each weight gradient and for each input gradient
// that backpropagation needs (none for a layer whose input is the data). Elementwise work (biases,
// activations, Adam) is not counted: the count is the work a matMul ceiling can be held against.

export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
}

/** Forward products of the layers for a batch. */
export function forwardFlops(batch: number, layers: readonly DenseLayer[]): number {
  return layers.reduce((s, l) => s + 2 * batch * l.inputs * l.outputs, 0);
}

/**
 * Forward and backward products of a network trained on its own parameters; `fromData` layers need no input gradient.
 */
export function trainingFlops(batch: number, layers: readonly DenseLayer[], fromData: readonly DenseLayer[]): number {
  return 3 * forwardFlops(batch, layers) - forwardFlops(batch, fromData);
}
