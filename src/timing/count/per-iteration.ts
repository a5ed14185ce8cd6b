// Counts per iteration, two ways. Ours: one region of a process holds nothing but `span` calls (the
// region counter), so its counts divided by the span are one estimate. Implementations under test:
// two whole processes that differ only by `span` calls (start-up, preparation and warm-up are the same
// in each and cancel), so their difference divided by the span is one. Each counted process gives one
// estimate; their spread is the measure's own noise.
import { median } from '../../stats/descriptive.js';
import { estimatedCycles, l1Misses, llMisses } from './cost-model.js';
import type { Counts } from './valgrind.js';

export interface PerIteration {
  readonly instructions: number;
  readonly l1Misses: number;
  readonly llMisses: number;
  readonly estimatedCycles: number;
  /** (max - min) / median of the estimated cycles per iteration over the estimates, in percent. */
  readonly spreadPct: number;
  /** Each estimate's estimated cycles per iteration: the samples a gate compares. */
  readonly cycleSamples: readonly number[];
  readonly instructionSamples: readonly number[];
  /** How many counted processes the estimates came from. */
  readonly processes: number;
}

/** A shorter count and a longer one of the same code; the longer ran `span` more calls. */
export type CountPair = readonly [shorter: Counts, longer: Counts];

/** The row's counts from its per-call estimates, one per counted process, of any measure of the counts. */
function summarize(processes: number, estimates: (f: (c: Counts) => number) => number[]): PerIteration {
  const cycles = estimates(estimatedCycles);
  const mid = median(cycles);
  return {
    instructions: median(estimates((c) => c.ir)),
    l1Misses: median(estimates(l1Misses)),
    llMisses: median(estimates(llMisses)),
    estimatedCycles: mid,
    spreadPct: mid > 0 ? ((Math.max(...cycles) - Math.min(...cycles)) / mid) * 100 : 0,
    cycleSamples: cycles,
    instructionSamples: estimates((c) => c.ir),
    processes,
  };
}

/** One region of `span` calls from each counted process (the region counter's dumps). */
export function fromRegions(regions: readonly Counts[], span: number): PerIteration {
  if (regions.length === 0 || !(span > 0)) throw new Error('per-call counts need a counted region of calls');
  return summarize(regions.length, (f) => regions.map((c) => f(c) / span));
}

function fromDifferences(pairs: readonly CountPair[], span: number, processes: number): PerIteration {
  if (pairs.length === 0 || !(span > 0))
    throw new Error('per-iteration counts need processes with more iterations than the base one');
  return summarize(processes, (f) => pairs.map(([a, b]) => (f(b) - f(a)) / span));
}

/** Whole processes: one at `loIterations`, each of `his` at `hiIterations`. */
export function perIteration(
  lo: Counts,
  his: readonly Counts[],
  loIterations: number,
  hiIterations: number,
): PerIteration {
  if (his.length === 0 || hiIterations <= loIterations)
    throw new Error('per-iteration counts need processes with more iterations than the base one');
  return fromDifferences(
    his.map((h) => [lo, h] as const),
    hiIterations - loIterations,
    his.length + 1,
  );
}
