// The slowed side of a `scale:` calibration, made from the A/A twin's own runs: every injected row's
// samples and burst medians multiplied by 1 + FRACTION. It is what a third, slowed process would give
// under `scale:` (the same build, its samples scaled), one process fewer per cell: the slowed side's
// verdicts are drawn from the same distribution, though no longer independent of the A/A verdicts in
// the same pair, which neither rate (false alarms, detections) depends on.
import { parseInjection, injectedSlowdown } from '../../timing/inject-slowdown.js';
import { rowKey, type LoadedRun } from '../../results/load-runs.js';

export function scaledTwin(runs: readonly LoadedRun[], spec: string): LoadedRun[] {
  if (parseInjection(spec)?.mode !== 'scale') throw new Error(`scaledTwin: '${spec}' is not a scale: injection`);
  return runs.map((run) => ({
    dir: run.dir,
    context: { ...run.context, options: { ...run.context.options, injectSlowdown: spec } },
    rows: run.rows.map((row) => {
      const factor = 1 + injectedSlowdown(rowKey(row), spec);
      if (factor === 1) return row;
      const times = (xs?: readonly number[]) => xs?.map((x) => x * factor);
      const medianMs = row.medianMs === undefined ? undefined : row.medianMs * factor;
      return { ...row, rawSamples: times(row.rawSamples), burstMedians: times(row.burstMedians), medianMs };
    }),
  }));
}
