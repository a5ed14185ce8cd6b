// The GAN's two MLPs as data: the tfjs model builds them from this, the float64 oracle recomputes them.
export interface GanArchitecture {
  readonly dataDim: number;
  readonly noiseDim: number;
  /** Width of every hidden ReLU layer of both networks. */
  readonly hidden: number;
  /** Hidden layers per network; 0 makes a network affine. */
  readonly layers: number;
  /** The generator's hidden layers when they differ from `layers` (0: an affine generator, whose
   *  output distribution is exactly Gaussian for Gaussian noise — the exact 1-D checks use it). */
  readonly generatorLayers?: number;
}

/** The anchor of the issue: 3 x 128 ReLU MLPs on 2-D data from 2-D noise. */
export const ANCHOR_ARCHITECTURE: GanArchitecture = { dataDim: 2, noiseDim: 2, hidden: 128, layers: 3 };

export interface LayerShape {
  readonly name: string;
  readonly inputs: number;
  readonly outputs: number;
  readonly relu: boolean;
}

/** Generator g0..g{L-1} then g.out; discriminator d0..d{L-1} then d.out (one logit). */
export function networkLayers(a: GanArchitecture, net: 'g' | 'd'): LayerShape[] {
  const input = net === 'g' ? a.noiseDim : a.dataDim;
  const output = net === 'g' ? a.dataDim : 1;
  const layers: LayerShape[] = [];
  let width = input;
  const count = net === 'g' ? (a.generatorLayers ?? a.layers) : a.layers;
  for (let k = 0; k < count; k++) {
    layers.push({ name: `${net}${k}`, inputs: width, outputs: a.hidden, relu: true });
    width = a.hidden;
  }
  layers.push({ name: `${net}.out`, inputs: width, outputs: output, relu: false });
  return layers;
}
