// Pools the two runs of this folder (seeds 201-210 and 211-230) into one 30-seed comparison with the
// same one-sided Mann-Whitney test `fit --seeds` applies:  npx tsx combine.mts > gan-seeds-30.txt
import fs from 'node:fs';
import { compareMetric, renderSeedsReport, type SeedsReport } from '../../../src/cli/fit-seeds.js';

const runs = ['gan-seeds.json', 'gan-seeds-211.json'].map((f) =>
  JSON.parse(fs.readFileSync(new URL(f, import.meta.url), 'utf8')),
);
const ours = runs.flatMap((r) => r.ours);
const theirs = runs.flatMap((r) => r.implementation.results);
const ok = theirs.filter((x: Record<string, number>) => !('error' in x));
const metrics = runs[0].metrics.map((m: { metric: string; better: 'higher' | 'lower' }) =>
  compareMetric(
    m.metric,
    m.better,
    ours.map((r: Record<string, number>) => r[m.metric]).filter(Number.isFinite),
    ok.map((r: Record<string, number>) => r[m.metric]).filter(Number.isFinite),
  ),
);
const report: SeedsReport = {
  model: 'gan',
  seeds: runs.flatMap((r) => r.seeds),
  ours,
  implementation: { name: runs[0].implementation.name, results: theirs },
  metrics,
  worse: metrics.some((m: { verdict: string }) => m.verdict === 'ours worse'),
};
fs.writeFileSync(new URL('gan-seeds-30.json', import.meta.url), JSON.stringify(report, null, 2) + '\n');
process.stdout.write(renderSeedsReport(report) + '\n');
