// A cell's trend over history in the report (report --store): each series' median time (and, for
// counted rows, estimated cycles per call) at each commit of the branch's first-parent history, the
// steps the fit found marked where they are and by how much, and the trend's text (every step of time,
// objective and counts, how sure) under it. SVG, rendered here.
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { MeasureTrend, SeriesTrend, TrendPoint, TrendReport } from '../history/trend.js';
import { renderTrends } from '../history/trend-text.js';
import { CHART_WIDTH } from './charts.js';
import { escapeHtml } from './html-parts.js';

/** The series of a cell (model / workload / size), by the row key's first three parts. */
export function trendsByCell(report: TrendReport): Map<string, SeriesTrend[]> {
  const out = new Map<string, SeriesTrend[]>();
  for (const s of report.series) {
    const [model, workload, size] = s.row.split('/');
    const cell = `${model} / ${workload} / ${size}`;
    out.set(cell, [...(out.get(cell) ?? []), s]);
  }
  return out;
}

/** A series' name in the legend: what ran (backend, and whose code when not ours) on which machine. */
function seriesName(s: SeriesTrend): string {
  const [, , , backend, implementation] = s.row.split('/');
  const whose =
    implementation && implementation !== 'modelbench' && !backend.endsWith(implementation)
      ? ` (${implementation})`
      : '';
  return `${backend}${whose} on ${s.machine}`;
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(Math.abs(x) >= 1e-3 ? 1 : 3)}%`;

/** What a chart draws of each series: a value per point, and the fit whose steps it marks. */
interface ChartMeasure {
  readonly axis: string;
  readonly value: (p: TrendPoint) => number | null;
  readonly fit: (s: SeriesTrend) => MeasureTrend | undefined;
}

const TIME: ChartMeasure = { axis: 'median time (ms)', value: (p) => p.medianMs, fit: (s) => s.time };
const CYCLES: ChartMeasure = { axis: 'est. cycles per call', value: (p) => p.estCycles, fit: (s) => s.cycles };

function chartData(series: readonly SeriesTrend[], measure: ChartMeasure) {
  const points = series.flatMap((s) =>
    (s.points ?? [])
      .filter((p) => measure.value(p) !== null)
      .map((p) => ({
        series: seriesName(s),
        position: p.commit.position,
        sha: p.commit.sha.slice(0, 7),
        subject: p.commit.subject.slice(0, 60),
        ms: measure.value(p),
        runs: p.runs,
      })),
  );
  const steps = series.flatMap((s) =>
    (measure.fit(s)?.steps ?? []).map((st) => ({
      series: seriesName(s),
      position: st.commit.position,
      ms: st.after,
      label: `${pct(st.change)} at ${st.commit.sha.slice(0, 7)}`,
    })),
  );
  return { points, steps };
}

export async function trendChart(
  title: string,
  series: readonly SeriesTrend[],
  measure: ChartMeasure = TIME,
): Promise<string> {
  const { points, steps } = chartData(series, measure);
  const x = {
    field: 'position',
    type: 'quantitative',
    title: 'commit (first-parent order)',
    axis: { tickMinStep: 1 },
  } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    title: 'series',
    legend: { orient: 'bottom', columns: 1, labelLimit: 600 },
  } as const;
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: CHART_WIDTH,
    height: 220,
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          color,
          y: { field: 'ms', type: 'quantitative', title: measure.axis, scale: { zero: false } },
          tooltip: [
            { field: 'series' },
            { field: 'sha' },
            { field: 'subject' },
            { field: 'ms', format: '.4s' },
            { field: 'runs' },
          ],
        },
      },
      { data: { values: steps }, mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 2 }, encoding: { x, color } },
      {
        data: { values: steps },
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, fontWeight: 'bold' },
        encoding: { x, color, y: { field: 'ms', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** The history part of a cell's section: the chart and the fit's own lines, or why there is none. */
export async function trendSection(
  cell: string,
  report: TrendReport,
  series: readonly SeriesTrend[] | undefined,
): Promise<string> {
  if (!series || series.length === 0) {
    const none = `No run of this cell in the store on the first-parent history of ${report.ref}.`;
    return `<h4>History</h4><p class="muted">${escapeHtml(none)}</p>`;
  }
  const charts: string[] = [];
  for (const [measure, what] of [
    [TIME, 'median time'],
    [CYCLES, 'estimated cycles per call'],
  ] as const) {
    if (!series.some((s) => (s.points ?? []).some((p) => measure.value(p) !== null))) continue;
    const svg = await trendChart(`${cell}: ${what} over history`, series, measure);
    charts.push(`<figure class="chart">${svg}</figure>`);
  }
  const chart = charts.join('');
  const text = renderTrends({ ref: report.ref, series, notInHistory: { runs: 0, commits: [] }, dirtyRuns: 0 });
  const intro = `Each point is one commit of ${report.ref} (the median of its runs on that machine); dashed: steps.`;
  const fit = `<pre class="trend">${escapeHtml(text)}</pre>`;
  return `<h4>History</h4><p class="muted">${escapeHtml(intro)}</p>${chart}${fit}`;
}
