// The toy model's data: seeded normal values around a seeded centre.
import { Rng } from '../../src/seeds.js';

export function toyValues(count: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const centre = 3 + rng.uniform();
  return Float64Array.from({ length: count }, () => centre + rng.normal());
}
