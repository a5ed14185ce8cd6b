// The GAN's networks recomputed in float64 from the documented architecture and a copy of the
// parameters (weights [inputs, outputs], row-major): hidden layers relu(x W + b), output x W + b.
import { networkLayers, type GanArchitecture } from './architecture.js';

export type ParameterValues = Readonly<Record<string, Float64Array>>;

export function oracleForward(
  a: GanArchitecture,
  net: 'g' | 'd',
  p: ParameterValues,
  x: ArrayLike<number>,
  rows: number,
): Float64Array {
  let current = Float64Array.from(x);
  let width = net === 'g' ? a.noiseDim : a.dataDim;
  for (const layer of networkLayers(a, net)) {
    const w = p[`${layer.name}.w`];
    const b = p[`${layer.name}.b`];
    if (!w || !b) throw new Error(`oracle: parameters of layer ${layer.name} are missing`);
    const next = new Float64Array(rows * layer.outputs);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < layer.outputs; j++) {
        let s = b[j];
        for (let i = 0; i < width; i++) s += current[r * width + i] * w[i * layer.outputs + j];
        next[r * layer.outputs + j] = layer.relu && s < 0 ? 0 : s;
      }
    }
    current = next;
    width = layer.outputs;
  }
  return current;
}
