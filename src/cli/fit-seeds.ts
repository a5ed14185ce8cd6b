// `fit --seeds N [--impl NAME]`: a fit's quality as a distribution over seeds, not one draw. Replicate k
// uses the seeds of base + k (data, init, sampling), for ours and, with --impl, for an implementation
// under test trained the same way through the protocol. For each quality measure the model declares,
// a one-sided Mann-Whitney test asks whether ours is worse than the implementation's (p < 0.05).
import { mannWhitney } from '../stats/mann-whitney.js';
import { Session } from '../protocol/session.js';
import type { Implementation } from '../protocol/implementation.js';
import { fmt, textTable } from '../format.js';
import { seedsFrom, type Seeds } from '../seeds.js';
import type { Dataset, Tf } from '../types.js';
import type { ModelSpec } from '../models/spec.js';
import { ImplementationError, CannotStart } from '../errors.js';

/** Ours counts as worse when the one-sided p-value is below this. */
export const WORSE_ALPHA = 0.05;

export interface SeedSummary {
  readonly n: number;
  readonly mean: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly sd: number;
}

export interface MetricComparison {
  readonly metric: string;
  readonly better: 'higher' | 'lower';
  readonly ours: SeedSummary;
  readonly peer?: SeedSummary;
  /** One-sided p-value of "ours is worse than the implementation's". */
  readonly pWorse?: number;
  readonly verdict: 'ours not worse' | 'ours worse' | 'no comparison';
}

export interface SeedsReport {
  readonly model: string;
  readonly seeds: readonly number[];
  readonly ours: readonly Record<string, number>[];
  readonly implementation?: {
    readonly name: string;
    readonly results: readonly (Record<string, number> | { readonly error: string })[];
  };
  readonly metrics: readonly MetricComparison[];
  readonly worse: boolean;
}

export function summarise(values: readonly number[]): SeedSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((s, v) => s + v, 0) / n;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const sd = n > 1 ? Math.sqrt(sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { n, mean, median, min: sorted[0], max: sorted[n - 1], sd };
}

/** Ours against the implementation on one measure; "worse" is one-sided, in the measure's bad direction. */
export function compareMetric(
  metric: string,
  better: 'higher' | 'lower',
  ours: readonly number[],
  peer: readonly number[],
): MetricComparison {
  if (peer.length === 0) return { metric, better, ours: summarise(ours), verdict: 'no comparison' };
  const u = mannWhitney(peer, ours);
  const pWorse = better === 'higher' ? u.pLess : u.pGreater;
  return {
    metric,
    better,
    ours: summarise(ours),
    peer: summarise(peer),
    pWorse,
    verdict: pWorse < WORSE_ALPHA ? 'ours worse' : 'ours not worse',
  };
}

export interface SeedsJob {
  readonly model: ModelSpec;
  readonly tf: Tf;
  readonly load: (seeds: Seeds) => Dataset;
  readonly options: Readonly<Record<string, string>>;
  readonly baseSeed: number;
  readonly count: number;
  readonly impl?: Implementation;
  readonly log: (line: string) => void;
}

export async function fitOverSeeds(job: SeedsJob): Promise<SeedsReport> {
  const { model } = job;
  const metrics = Object.entries(model.qualityMetrics ?? {});
  const seedValues = Array.from({ length: job.count }, (_, k) => job.baseSeed + k);
  const ours: Record<string, number>[] = [];
  const theirs: (Record<string, number> | { error: string })[] = [];
  for (const seed of seedValues) {
    const seeds = seedsFrom(seed);
    const data = job.load(seeds);
    const t0 = performance.now();
    const summary = await model.fit(job.tf, data, job.options, seeds);
    const mine = Object.fromEntries(
      Object.entries(summary.parameters).filter((e): e is [string, number] => typeof e[1] === 'number'),
    );
    ours.push(mine);
    let line =
      `seed ${seed}: ours ` +
      `${metrics.map(([m]) => `${m} ${fmt(mine[m] ?? NaN, 4)}`).join(', ')} (` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s)`;
    if (job.impl) {
      const result = await peerFit(job, data, seeds);
      theirs.push(result);
      line +=
        `; ${job.impl.name} ` +
        ('error' in result
          ? `error: ${result.error}`
          : metrics.map(([m]) => `${m} ${fmt(result[m] ?? NaN, 4)}`).join(', '));
    }
    job.log(line);
  }
  const ok = theirs.filter((r): r is Record<string, number> => !('error' in r));
  const comparisons = metrics.map(([metric, better]) =>
    compareMetric(
      metric,
      better,
      ours.map((r) => r[metric]).filter(Number.isFinite),
      ok.map((r) => r[metric]).filter(Number.isFinite),
    ),
  );
  return {
    model: model.name,
    seeds: seedValues,
    ours,
    ...(job.impl ? { implementation: { name: job.impl.name, results: theirs } } : {}),
    metrics: comparisons,
    worse: comparisons.some((c) => c.verdict === 'ours worse'),
  };
}

/** One replicate on the implementation, in a fresh process; a failure is that replicate's value, not the run's end. */
async function peerFit(
  job: SeedsJob,
  data: Dataset,
  seeds: Seeds,
): Promise<Record<string, number> | { error: string }> {
  let session: Session | undefined;
  try {
    session = await Session.start(job.impl!, job.log);
    if (session.hello.unavailable)
      return {
        error: `${session.hello.name} cannot run here: ${session.hello.unavailable}; ` + `fix: ${session.hello.fix}`,
      };
    if (!session.hello.models.includes(job.model.name))
      return { error: `${session.hello.name} does not implement ${job.model.name}` };
    return await job.model.peerFit!(session, data, job.options, seeds);
  } catch (e) {
    if (e instanceof ImplementationError || e instanceof CannotStart) return { error: e.message };
    throw e;
  } finally {
    await session?.close();
  }
}

export function renderSeedsReport(r: SeedsReport): string {
  const peer = r.implementation?.name;
  const s = (x?: SeedSummary) =>
    x ? [fmt(x.mean, 4), fmt(x.median, 4), `${fmt(x.min, 4)} .. ${fmt(x.max, 4)}`, fmt(x.sd, 3)] : ['', '', '', ''];
  const header = [
    'measure',
    'better',
    'ours mean',
    'median',
    'range',
    'sd',
    ...(peer ? [`${peer} mean`, 'median', 'range', 'sd', 'p (ours worse)', 'verdict'] : []),
  ];
  const rows = r.metrics.map((m) => [
    m.metric,
    m.better,
    ...s(m.ours),
    ...(peer ? [...s(m.peer), m.pWorse === undefined ? '' : m.pWorse.toPrecision(3), m.verdict] : []),
  ]);
  const errors = r.implementation?.results.filter((x) => 'error' in x).length ?? 0;
  return [
    `${r.model} over ${r.seeds.length} seeds (${r.seeds[0]}..` +
      `${r.seeds[r.seeds.length - 1]})` +
      `${peer ? `, ours and ${peer} trained the same way` : ''}:`,
    textTable(header, rows),
    ...(errors > 0 ? [`${errors} of ${r.seeds.length} replicates on ${peer} failed (their lines above say why)`] : []),
    peer
      ? r.worse
        ? `OURS WORSE on a measure (one-sided Mann-Whitney, p < ${WORSE_ALPHA})`
        : `ours not worse on any measure (one-sided Mann-Whitney, p < ${WORSE_ALPHA})`
      : '',
  ].join('\n');
}
