// Estimated cycles from counts: a fixed cost model, as CodSpeed's, so that a change which trades
// instructions for cache misses (or the reverse) still shows. Every instruction costs one cycle; a
// first-level miss served by the last level costs 10 more; a last-level miss (memory) 100 more
// beyond that. The figures are round numbers of a modern x86-64 core, not this machine's:
// docs/counted-measurement.md checks the model's ratios against measured times.
import type { Counts } from './valgrind.js';

export const L1_MISS_CYCLES = 10;
export const LL_MISS_CYCLES = 100;

export function l1Misses(c: Counts): number {
  return c.i1mr + c.d1mr + c.d1mw;
}

export function llMisses(c: Counts): number {
  return c.ilmr + c.dlmr + c.dlmw;
}

export function estimatedCycles(c: Counts): number {
  return c.ir + L1_MISS_CYCLES * l1Misses(c) + LL_MISS_CYCLES * llMisses(c);
}
