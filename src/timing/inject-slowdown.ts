// Calibration aid, off by default: MODELBENCH_INJECT_SLOWDOWN="[scale:]GLOB=FRACTION[,GLOB=FRACTION]"
// makes matching cells ("model/workload/size/backend", `*` wildcard) slower by FRACTION of each timed
// call. It exists to prove the compare gate catches a known slowdown; the run's context records the
// spec, and compare shows it as an environment difference.
//
// Two ways to slow a call. By default, busy-waiting after it: the process really spends the time.
// With `scale:`, the call runs untouched and its timed samples are multiplied by 1 + FRACTION: the
// slowed twin's samples are the baseline's distribution, noise and all, moved by exactly FRACTION.
// The busy-wait is not additive where a call allocates heavily: V8 sizes its heap by allocation per
// unit of time, and a wait after each call changes how much collecting the call itself pays for
// (measured, cpu backend, logreg fit 10000x50, one process on one CPU: 612 -> 747 ms (+22%) with
// V8's threads, 782 -> 820 ms (+4.8%) --single-threaded; and paired with twins, 26% faster).
import { globParts } from '../glob.js';

export const INJECT_ENV = 'MODELBENCH_INJECT_SLOWDOWN';
const SCALE_PREFIX = 'scale:';

export interface Injection {
  readonly mode: 'busy-wait' | 'scale';
  readonly parts: readonly { readonly glob: string; readonly pattern: RegExp; readonly fraction: number }[];
}

function notAFraction(part: string): Error {
  return new Error(
    `${INJECT_ENV}: '${part}' is not GLOB=FRACTION (e.g. 'logreg/predict/*/wasm=0.15', or 'scale:*/cpu=0.10' to ` +
      `scale the timed samples)`,
  );
}

/** The parsed spec; undefined when none is set. */
export function parseInjection(spec = process.env[INJECT_ENV]): Injection | undefined {
  if (!spec) return undefined;
  const scale = spec.startsWith(SCALE_PREFIX);
  const body = scale ? spec.slice(SCALE_PREFIX.length) : spec;
  const parsed = globParts(body);
  if (parsed.length === 0) throw notAFraction(body);
  const parts = parsed.map((part) => {
    if (part.glob === '' || !(part.value >= 0)) throw notAFraction(part.raw);
    return { glob: part.glob, pattern: part.pattern, fraction: part.value };
  });
  return { mode: scale ? 'scale' : 'busy-wait', parts };
}

/** The fraction a cell's calls are slowed by (the last matching part wins). */
export function injectedSlowdown(key: string, spec = process.env[INJECT_ENV]): number {
  return fractionFor(key, parseInjection(spec));
}

function fractionFor(key: string, injection: Injection | undefined): number {
  let fraction = 0;
  for (const part of injection?.parts ?? []) if (part.pattern.test(key)) fraction = part.fraction;
  return fraction;
}

/** Whether a key is slowed at all (for judging a calibration: which rows were meant to be caught). */
export function isInjected(key: string, spec: string | undefined): boolean {
  return injectedSlowdown(key, spec) > 0;
}

/** How a cell's timed call and its samples are slowed: a busy-wait inside the call, or a factor on the samples. */
export function slowdownFor(
  key: string,
  run: () => Promise<void>,
  spec = process.env[INJECT_ENV],
): { run: () => Promise<void>; sampleScale: number } {
  const injection = parseInjection(spec);
  const fraction = fractionFor(key, injection);
  if (fraction <= 0) return { run, sampleScale: 1 };
  if (injection!.mode === 'scale') return { run, sampleScale: 1 + fraction };
  return { run: withSlowdown(run, fraction), sampleScale: 1 };
}

export function withSlowdown(run: () => Promise<void>, fraction: number): () => Promise<void> {
  if (fraction <= 0) return run;
  return async () => {
    const t0 = performance.now();
    await run();
    const until = performance.now() + (performance.now() - t0) * fraction;
    while (performance.now() < until) {
      // busy-wait: a timer would add its own jitter
    }
  };
}
