// Calibration aid for the counted gate, off by default: MODELBENCH_INJECT_WORK="GLOB=CYCLES[,GLOB=CYCLES]" makes
// every counted call of matching cells ("model/workload/size/backend", `*` wildcard) also compute about CYCLES
// estimated cycles of real arithmetic, inside the call, so that the counted region executes it. A busy-wait on the
// clock (MODELBENCH_INJECT_SLOWDOWN) adds time, not instructions in proportion to anything; this adds instructions.
// `modelbench calibrate --measure instructions` sizes CYCLES per row from the baseline's own counts (1% of its
// estimated cycles per call), and reports the change each row really got.
import { globParts } from '../glob.js';

export const INJECT_WORK_ENV = 'MODELBENCH_INJECT_WORK';

/**
 * Estimated cycles of one iteration of the loop below, counted here (x86-64, V8 12 with V8_DETERMINISTIC's flags,
 * counted: 26 instructions an iteration, no cache misses: the scratch buffer stays in the first level). A row's real
 * change is reported by the calibration, so a different compiler's loop shows as a different injected fraction.
 */
export const LOOP_CYCLES_PER_ITERATION = 26;

const SCRATCH = new Float64Array(512);
let sink = 0;

/** The extra work: a dependent chain of multiply-adds over a small buffer, its result kept so it cannot be elided. */
function work(iterations: number): void {
  let acc = sink;
  for (let i = 0; i < iterations; i++) acc = acc * 0.5 + SCRATCH[i & 511] + 1;
  sink = acc;
}

/** The extra estimated cycles per call for a cell key (the last matching part wins); 0 when none matches. */
export function injectedWork(key: string, spec = process.env[INJECT_WORK_ENV]): number {
  let cycles = 0;
  for (const part of globParts(spec ?? '')) {
    if (part.glob === '' || !(part.value >= 0)) {
      throw new Error(
        `${INJECT_WORK_ENV}: '${part.raw}' is not GLOB=CYCLES (extra estimated cycles per call, ` +
          `e.g. 'logreg/fit/*/wasm=2000000')`,
      );
    }
    if (part.pattern.test(key)) cycles = part.value;
  }
  return cycles;
}

/** The call with its extra work after it, or the call itself when the key gets none. */
export function withInjectedWork(key: string, run: () => Promise<void>, spec?: string): () => Promise<void> {
  const iterations = Math.round(injectedWork(key, spec) / LOOP_CYCLES_PER_ITERATION);
  if (iterations <= 0) return run;
  return async () => {
    await run();
    work(iterations);
  };
}
