// Counts per iteration from differences: two counts of the same code that differ only by `span` calls
// (start-up, preparation, warm-up and whatever brackets the loop are the same in each and cancel).
// Each difference gives one estimate; their spread is the measure's own noise. The differences come
// from whole processes (one runs the call `lo` times, others `hi` times: implementations under test)
// or from two regions of one process (the region counter: span calls, then twice as many; ours).
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

export function fromDifferences(pairs: readonly CountPair[], span: number, processes: number): PerIteration {
  if (pairs.length === 0 || !(span > 0))
    throw new Error('per-iteration counts need processes with more iterations than the base one');
  const each = (f: (c: Counts) => number) => pairs.map(([a, b]) => (f(b) - f(a)) / span);
  const cycles = each(estimatedCycles);
  const mid = median(cycles);
  return {
    instructions: median(each((c) => c.ir)),
    l1Misses: median(each(l1Misses)),
    llMisses: median(each(llMisses)),
    estimatedCycles: mid,
    spreadPct: mid > 0 ? ((Math.max(...cycles) - Math.min(...cycles)) / mid) * 100 : 0,
    cycleSamples: cycles,
    instructionSamples: each((c) => c.ir),
    processes,
  };
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
