// Calibration aid, off by default: MODELBENCH_INJECT_SLOWDOWN="GLOB=FRACTION[,GLOB=FRACTION]" makes
// matching cells ("model/workload/size/backend", `*` wildcard) slower by FRACTION of each timed run,
// by busy-waiting after it. It exists to prove the compare gate catches a known slowdown; the run's
// context records it, and compare shows it as an environment difference.
import { globToRegExp } from '../glob.js';

export const INJECT_ENV = 'MODELBENCH_INJECT_SLOWDOWN';

export function injectedSlowdown(key: string, spec = process.env[INJECT_ENV]): number {
  if (!spec) return 0;
  let fraction = 0;
  for (const part of spec.split(',')) {
    const at = part.lastIndexOf('=');
    const glob = part.slice(0, at);
    const value = Number(part.slice(at + 1));
    if (at <= 0 || !(value >= 0)) throw new Error(`${INJECT_ENV}: '${part}' is not GLOB=FRACTION (e.g. 'logreg/predict/*/wasm=0.15')`);
    if (globToRegExp(glob).test(key)) fraction = value;
  }
  return fraction;
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
