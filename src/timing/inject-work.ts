// Calibration aid for the counted gate, off by default: MODELBENCH_INJECT_WORK="GLOB=CYCLES[,GLOB=CYCLES]" makes
// every counted call of matching cells ("model/workload/size/backend", `*` wildcard) also compute about CYCLES
// estimated cycles of real arithmetic (a WebAssembly loop: work-loop.ts), inside the call, so that the counted region
// executes it. A busy-wait on the clock (MODELBENCH_INJECT_SLOWDOWN) adds time, not instructions in proportion to
// anything; this adds instructions.
// `modelbench calibrate --measure instructions` sizes CYCLES per row from the baseline's own counts (1% of its
// estimated cycles per call), and reports the change each row really got.
import { globParts } from '../glob.js';
import { workLoop, type WorkLoop } from './work-loop.js';

export const INJECT_WORK_ENV = 'MODELBENCH_INJECT_WORK';

/**
 * Estimated cycles of one iteration of the work loop (work-loop.ts), counted here: x86-64, Node 20's V8 with
 * V8_DETERMINISTIC's flags, callgrind, 10 M iterations more counted 46,667,154 instructions more and no cache misses
 * (TurboFan unrolls the loop, so an iteration averages 14/3 instructions). tests/bench/inject-work.slow.test.ts counts
 * it again wherever the slow tier runs, and the calibration reports what each row really got.
 */
export const LOOP_CYCLES_PER_ITERATION = 14 / 3;

let sink = 0;
const MAX_LOOP = 2 ** 30;

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

/**
 * The call with its extra work after it. Every counted call runs the loop, with 0 iterations where the key gets none: a
 * worked twin then differs from its baseline by the iterations alone. Where the baseline did without the loop, the
 * module's instantiation alone moved the rows' counts (wasm svm decision-rbf 200 x 10: 16 K instructions a call beyond
 * the loop's 57 K, and +0.5% of estimated cycles in all, as one of V8's collections fell elsewhere).
 */
export function withInjectedWork(
  key: string,
  run: () => Promise<void>,
  spec?: string,
  work: WorkLoop = workLoop(),
): () => Promise<void> {
  const iterations = Math.round(injectedWork(key, spec) / LOOP_CYCLES_PER_ITERATION);
  return async () => {
    await run();
    // One call of the loop counts at most MAX_LOOP iterations (an i32 holds 2^31 - 1).
    let left = iterations;
    do {
      const n = Math.min(left, MAX_LOOP);
      sink = work(n, sink);
      left -= n;
    } while (left > 0);
  };
}
