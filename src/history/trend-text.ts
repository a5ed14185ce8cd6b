// A trend report for people: per series one line, then one line per step (where, by how much, how
// sure) and per outlier; lines that say what was left out come first.
import type { Commit } from './git-order.js';
import type { FoundStep, MeasureTrend, SeriesTrend, TrendReport } from './trend.js';

/** Below this a series has no noise estimate to judge a step against. */
const MIN_POINTS = 3;
const short = (c: Commit) => c.sha.slice(0, 7);
/** A relative change: one decimal for times; a count's exact steps may be smaller, and keep two digits. */
const pct = (x: number) =>
  `${x >= 0 ? '+' : ''}${Math.abs(x) >= 1e-3 || x === 0 ? (100 * x).toFixed(1) : (100 * x).toPrecision(2)}%`;
const num = (x: number) =>
  Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : String(Number(x.toPrecision(6)));

function sure(s: FoundStep): string {
  const z = Number.isFinite(s.z) ? `z ${s.z.toFixed(1)}` : 'exact';
  return `${z}; at this commit ${Math.round(100 * s.pAt)}%, within one ${Math.round(100 * s.pNear)}%`;
}

/** How a measure's values read: a time in ms, a count per call, or an objective's own units. */
type Kind = 'time' | 'count' | 'value';
const UNIT: Readonly<Record<Kind, string>> = { time: ' ms', count: '', value: '' };
/** Counts per call in full: their steps may be a part in a thousand, which four significant digits would hide. */
const show = (x: number, kind: Kind) => (kind === 'count' ? Math.round(x).toLocaleString('en-US') : num(x));

/** A relative noise: a count's is far below a time's, and one decimal would round it to 0.0%. */
function relativeNoise(noise: number): string {
  if (noise === 0) return 'exact';
  const digits = noise >= 1e-3 ? 1 : Math.min(6, 1 - Math.floor(Math.log10(100 * noise)));
  return `noise ${(100 * noise).toFixed(digits)}%`;
}

function stepLine(s: FoundStep, kind: Kind): string {
  const span = s.commit.position - s.previous.position;
  const where =
    span === 1
      ? `at ${short(s.commit)}`
      : `in ${short(s.previous)}..${short(s.commit)} (${span} commits, first ` + `seen at ${short(s.commit)})`;
  const size =
    kind !== 'value'
      ? `${pct(s.change)} (${show(s.before, kind)} -> ${show(s.after, kind)}${UNIT[kind]})`
      : `${s.change >= 0 ? '+' : ''}${num(s.change)} ` + `(${num(s.before)} -> ${num(s.after)})`;
  return `    step ${where} "${s.commit.subject.slice(0, 60)}": ${size}; ${sure(s)}`;
}

function measureLines(m: MeasureTrend, kind: Kind): string[] {
  const noise = kind !== 'value' ? relativeNoise(m.noise) : m.noise === 0 ? 'exact' : `noise ${num(m.noise)}`;
  const now = `${show(m.last, kind)}${UNIT[kind]}`;
  if (m.points < MIN_POINTS)
    return [`  ${m.name}: ${m.points} commit(s), now ${now} (steps need ` + `${MIN_POINTS} commits or more)`];
  const head =
    `  ${m.name}: ${m.points} commit(s), now ${now}, ${noise}, ` +
    `${m.steps.length === 0 ? 'no step' : `${m.steps.length} step(s)`}`;
  const outliers =
    m.outliers.length > 0
      ? [`    outlier(s), a lone commit off its neighbours' level: ` + `${m.outliers.map(short).join(', ')}`]
      : [];
  return [head, ...m.steps.map((s) => stepLine(s, kind)), ...outliers];
}

function seriesLines(s: SeriesTrend): string[] {
  const otherSpans = s.otherSpans
    ? [`  ${s.otherSpans} counted commit(s) of another span left out of the counts (per-call counts depend on it)`]
    : [];
  const untimed = s.cycles ? [] : ['  no timings: the row was unavailable or errored at every commit'];
  return [
    `${s.row} on ${s.machine} (${short(s.first)}..${short(s.lastCommit)})`,
    ...(s.time ? measureLines(s.time, 'time') : untimed),
    ...(s.quality ? measureLines(s.quality, 'value') : []),
    ...(s.cycles ? measureLines(s.cycles, 'count') : []),
    ...(s.instructions ? measureLines(s.instructions, 'count') : []),
    ...otherSpans,
  ];
}

export function renderTrends(report: TrendReport): string {
  const lines: string[] = [];
  const { runs, commits } = report.notInHistory;
  if (commits.length > 0) {
    const shown = commits
      .slice(0, 3)
      .map((c) => c.slice(0, 7))
      .join(', ');
    lines.push(
      `note: ${runs} run(s) at ${commits.length} commit(s) not in the first-parent history of ${report.ref} ` +
        (`(${shown}${commits.length > 3 ? ', ...' : ''}): left out; fetch those ` +
          `commits, or name their branch with --branch`),
    );
  }
  if (report.dirtyRuns > 0)
    lines.push(
      `note: ${report.dirtyRuns} run(s) of a checkout with uncommitted ` +
        `changes left out (they measure no commit); ` +
        `--dirty counts them at their commit`,
    );
  if (report.series.length === 0) lines.push('no series match (check --row, --machine and --branch)');
  for (const s of report.series) lines.push(...seriesLines(s));
  return lines.join('\n') + '\n';
}
