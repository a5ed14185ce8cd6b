// The order in which the test files start: longest first, so that no long file starts last and runs
// alone on one core while the other waits (longest-processing-time-first, near the best split over two
// workers). vitest itself orders by the durations it cached from an earlier run (node_modules/.vite),
// and on a fresh clone, which has none, by file size: there a short file that runs for minutes
// (catalogue-bugs.test.ts: 27 lines, 206 s) started last and was the run's critical path. So a file
// without a cached duration takes its expected one from the table below, measured on a full run
// here; a file the table does not know (a new one) gets a middling guess, larger files first.
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each slow file took in a full default-tier run on the 2-core machine (the sum of its tests'
 * times; 2026-12-02, before the built CLI; help and the VAE's model file as they are since). Only their
 * order matters. A key is the end of the path (a moved folder keeps its entry); keep the folder where
 * the name alone would be ambiguous (model.test.ts).
 */
const EXPECTED_SECONDS: Readonly<Record<string, number>> = {
  'catalogue-bugs.test.ts': 206,
  'cli/cli.test.ts': 94,
  'compare-report.test.ts': 73,
  'wrong-paths.test.ts': 71,
  'svm/model.test.ts': 70,
  'hardening.test.ts': 65,
  'run-impl.test.ts': 47,
  'gan/model.test.ts': 46,
  'vae/model.test.ts': 17,
  'help.test.ts': 15,
  'report-overview.test.ts': 40,
  'containment.test.ts': 37,
  'fit-seeds.test.ts': 35,
  'paired-cell.test.ts': 29,
  'fit-gan.test.ts': 28,
  'paired-gate.test.ts': 25,
  'store.test.ts': 22,
  'csv-table.test.ts': 21,
  'fit-vae.test.ts': 20,
  'polish.test.ts': 17,
  'steps.test.ts': 15,
  'smoothed-newton.test.ts': 13,
  'trend.test.ts': 13,
  'sandbox.test.ts': 11,
  'gate.test.ts': 11,
  'calibrate-earlier.test.ts': 11,
};

/** A file the table does not know: after the long ones, before the many that take a second or two. */
const UNKNOWN_SECONDS = 5;

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const expectedMs = (spec: TestSpecification): number => {
      const relative = path.relative(root, spec.moduleId).split(path.sep).join('/');
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${relative}`);
      if (cached && !cached.failed && cached.duration > 0) return cached.duration;
      const key = Object.keys(EXPECTED_SECONDS).find((k) => relative === k || relative.endsWith(`/${k}`));
      return 1000 * (key ? EXPECTED_SECONDS[key] : UNKNOWN_SECONDS);
    };
    const size = (spec: TestSpecification) => this.ctx.cache.getFileStats(`${spec.project.name}:${path.relative(root, spec.moduleId)}`)?.size ?? 0;
    const keyed = files.map((spec) => ({ spec, ms: expectedMs(spec), size: size(spec) }));
    keyed.sort((a, b) => b.ms - a.ms || b.size - a.size);
    return keyed.map((k) => k.spec);
  }
}
