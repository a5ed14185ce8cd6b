// Counts per iteration from whole processes: a process that runs a cell's call `lo` times and others
// that run it `hi` times differ only by hi - lo calls (start-up, preparation, warm-up and the oracle's
// judgement are the same in each and cancel). Each `hi` process gives one estimate; their spread is
// the measure's own noise.
import { median } from '../../stats/descriptive.js';
import { estimatedCycles, l1Misses, llMisses } from './cost-model.js';
import type { Counts } from './valgrind.js';

export interface PerIteration {
  readonly instructions: number;
  readonly l1Misses: number;
  readonly llMisses: number;
  readonly estimatedCycles: number;
  /** (max - min) / median of the estimated cycles per iteration over the `hi` processes, in percent. */
  readonly spreadPct: number;
  /** Each `hi` process's estimated cycles per iteration: the samples a gate compares. */
  readonly cycleSamples: readonly number[];
  readonly instructionSamples: readonly number[];
}

export function perIteration(
  lo: Counts,
  his: readonly Counts[],
  loIterations: number,
  hiIterations: number,
): PerIteration {
  if (his.length === 0 || hiIterations <= loIterations)
    throw new Error('per-iteration counts need processes with more iterations than the base one');
  const span = hiIterations - loIterations;
  const each = (f: (c: Counts) => number) => his.map((h) => (f(h) - f(lo)) / span);
  const cycles = each(estimatedCycles);
  const instructions = each((c) => c.ir);
  const mid = median(cycles);
  return {
    instructions: median(instructions),
    l1Misses: median(each(l1Misses)),
    llMisses: median(each(llMisses)),
    estimatedCycles: mid,
    spreadPct: mid > 0 ? ((Math.max(...cycles) - Math.min(...cycles)) / mid) * 100 : 0,
    cycleSamples: cycles,
    instructionSamples: instructions,
  };
}
