// One self-contained HTML report from many runs: charts inline as SVG, styles inline, no scripts. It
// opens with the overview (a heat map of every cell by testbed x backend), then the testbeds, then the
// runs and the per-model sections, folded (<details>: readable without a script).
import type { Row } from '../types.js';
import { throughputChart, type Bar } from './charts.js';
import { fmt } from '../format.js';
import type { LoadedRun } from '../results/load-runs.js';
import { HEATMAP_STYLE, heatmapHtml } from './heatmap.js';
import { escapeHtml, groupBy, markup, table } from './html-parts.js';
import { cellLabel, commitLabel, machineLabel, type MergedRow } from '../results/merge.js';
import type { Overview, OverviewColumn } from './overview.js';
import { quantile } from '../stats/descriptive.js';
import { testbedSummary } from '../results/testbed.js';
import { testbedsHtml } from './testbeds-html.js';
import type { SeriesTrend, TrendReport } from '../history/trend.js';
import { trendSection, trendsByCell } from './trend-chart.js';

export { escapeHtml } from './html-parts.js';

interface Pooled {
  readonly machine: string;
  readonly backend: string;
  readonly throughput: number;
  readonly low: number;
  readonly high: number;
  readonly unit: string;
  readonly rows: readonly Row[];
}

/** Pools the samples of one (machine, cell, backend) across runs; throughput at the pooled median. */
function poolCell(machine: string, backend: string, rows: readonly Row[]): Pooled | undefined {
  const timed = rows.filter(
    (r) => r.status !== 'unavailable' && r.throughput !== undefined && r.medianMs !== undefined,
  );
  if (timed.length === 0) return undefined;
  const work = (timed[0].throughput! * timed[0].medianMs!) / 1000;
  const samples = timed.flatMap((r) => r.rawSamples ?? []).sort((a, b) => a - b);
  const at = (ms: number) => work / (ms / 1000);
  const unit = timed[0].throughputUnit ?? '';
  if (samples.length === 0)
    return {
      machine,
      backend,
      throughput: timed[0].throughput!,
      low: timed[0].throughput!,
      high: timed[0].throughput!,
      unit,
      rows,
    };
  return {
    machine,
    backend,
    throughput: at(quantile(samples, 0.5)),
    low: at(quantile(samples, 0.75)),
    high: at(quantile(samples, 0.25)),
    unit,
    rows,
  };
}

/** GFLOP/s and the share of the backend's matMul ceiling, from the pooled rows (the median of their values). */
function efficiencyOf(rows: readonly Row[]): string {
  const gflops = rows
    .map((r) => r.gflops)
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
  if (gflops.length === 0) return '';
  const fractions = rows
    .map((r) => r.ceilingFraction)
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
  const fraction =
    fractions.length > 0 ? `, ${(100 * quantile(fractions, 0.5)).toFixed(0)}% of its matMul ceiling` : '';
  return `<br><span class="muted">${fmt(quantile(gflops, 0.5), 3)} GFLOP/s${fraction}</span>`;
}

/** Why a machine has no bar for a backend: not run there, or every row of it errored or was unavailable. */
function whyNoBar(entries: readonly MergedRow[], machine: string, backend: string): string {
  const rows = entries.filter((e) => e.machine === machine && e.row.backend === backend).map((e) => e.row);
  if (rows.length === 0) return 'not run on this machine';
  const statuses = [...new Set(rows.map((r) => r.status))].join(', ');
  return `no timing samples: ${statuses}`;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.2em 2em;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#f3f3f3}.pass{color:#176f2c}.fail{color:#b00020;font-weight:bold}.muted{color:#777}
section{margin-bottom:2.5em}figure{margin:0}h2{border-bottom:1px solid #ddd;margin:.8em 0 .4em}h1{margin:.2em 0}
details{margin:.6em 0}summary{cursor:pointer;font-size:1.15em;font-weight:bold;padding:.3em 0}
pre.trend{font-size:12px;background:#f7f7f7;padding:.5em;overflow-x:auto}
${HEATMAP_STYLE}`;

/** One line per run: machine, id (marked when incomplete), suite, commit, versions, and each backend's device. */
function runsTable(runs: readonly LoadedRun[], seriesOf: ReadonlyMap<LoadedRun, string>): string {
  return table(
    ['series', 'host', 'run', 'suite', 'git', 'Node / tfjs', 'backends'],
    runs.map((r) => {
      const c = r.context;
      const backends = c.backends
        .map((b) => escapeHtml(b.available ? `${b.name}: ${b.runtime!.device}` : `${b.name}: unavailable`))
        .join('<br>');
      const run = markup(
        escapeHtml(c.runId) + (c.complete === false ? ' <b>(incomplete: stopped before its end)</b>' : ''),
      );
      const git = c.gitSha.slice(0, 12) + (c.gitDirty ? ' (dirty)' : '');
      return [
        seriesOf.get(r) ?? '',
        machineLabel(c),
        run,
        c.suite,
        git,
        `${c.nodeVersion} / ${c.tfjsVersion}`,
        markup(backends),
      ];
    }),
  );
}

/** Throughput of each backend on each series relative to the baseline series on the same backend. */
function speedupTable(
  entries: readonly MergedRow[],
  pooled: readonly Pooled[],
  machines: readonly string[],
  baseline: string,
): string {
  const backends = [...new Set(entries.map((e) => e.row.backend))];
  const speedups = backends.map((backend) => {
    const base = pooled.find((p) => p.machine === baseline && p.backend === backend);
    return [
      backend,
      ...machines.map((machine) => {
        const p = pooled.find((x) => x.machine === machine && x.backend === backend);
        if (!p) return markup(`<span class="muted">— (${escapeHtml(whyNoBar(entries, machine, backend))})</span>`);
        const own = `${fmt(p.throughput, 3)} ${escapeHtml(p.unit)}`;
        const speed = base ? `${fmt(p.throughput / base.throughput, 3)}x <span class="muted">(${own})</span>` : own;
        return markup(`${speed}${efficiencyOf(p.rows)}`);
      }),
    ];
  });
  return (
    `<h4>Throughput relative to ${escapeHtml(baseline)} on the same ` +
    `backend</h4>${table(['backend', ...machines], speedups)}`
  );
}

/** The objective checks of every timed or failed row; unavailable rows are listed once per testbed above, not here. */
function checksTable(entries: readonly MergedRow[]): string {
  const shown = entries.filter((e) => e.row.status !== 'unavailable');
  const left = entries.length - shown.length;
  const checks = shown.map((e) => {
    const r = e.row;
    const verdict =
      r.check === 'pass' || r.check === 'fail' ? markup(`<span class="${r.check}">${r.check}</span>`) : (r.check ?? '');
    const run = `${e.run.context.runId} (${commitLabel(e.run.context)})`;
    const values = [fmt(r.objective, 10), fmt(r.oracleObjective, 10), fmt(r.relError, 2)];
    return [e.machine, run, r.backend, r.status, verdict, r.objectiveName ?? '', ...values, r.error ?? ''];
  });
  const note =
    left > 0
      ? `<p class="muted">${left} unavailable row(s) not listed: see ` + `"Unavailable backends" under Testbeds.</p>`
      : '';
  const header = [
    'series',
    'run (commit)',
    'backend',
    'status',
    'check',
    'objective',
    'value',
    'oracle',
    'rel. error',
    'note',
  ];
  return `<h4>Objective checks</h4>${table(header, checks)}${note}`;
}

async function cellSection(
  cell: string,
  entries: readonly MergedRow[],
  machines: readonly string[],
  baseline: string,
  history?: ReportHistory,
): Promise<string> {
  const pooled: Pooled[] = [];
  for (const [key, group] of groupBy(entries, (e) => `${e.machine}\u0000${e.row.backend}`)) {
    const [machine, backend] = key.split('\u0000');
    const p = poolCell(
      machine,
      backend,
      group.map((g) => g.row),
    );
    if (p) pooled.push(p);
  }
  const bars: Bar[] = pooled.map(({ rows: _rows, ...bar }) => bar);
  const chart = bars.length > 0 ? await throughputChart(cell, bars) : '<p class="muted">no timed rows</p>';
  const tables = speedupTable(entries, pooled, machines, baseline) + checksTable(entries);
  const trend = history ? await trendSection(cell, history.report, history.byCell.get(cell)) : '';
  return `<section><h3>${escapeHtml(cell)}</h3><figure class="chart">${chart}</figure>${tables}${trend}</section>`;
}

/** The header line of a column group: its testbed in one line (a pre-testbed series names its machine already). */
function describer(merged: readonly MergedRow[]): (column: OverviewColumn) => string {
  const about = new Map<string, string>();
  for (const m of merged)
    if (!about.has(m.machine) && m.run.context.testbed) about.set(m.machine, testbedSummary(m.run.context.testbed));
  return (column) => about.get(column.series) ?? '';
}

function overviewPart(overview: Overview, merged: readonly MergedRow[], runs: number, testbeds: number): string {
  const base = overview.columns[overview.baseline];
  const baseText = base ? `<b>${escapeHtml(base.series)} / ${escapeHtml(base.backend)}</b>` : 'none';
  const hidden = overview.unavailable.map((c) => `${c.backend} on ${c.series}`);
  const intro =
    `<p class="muted">${runs} run(s) on ${testbeds} testbed(s). Each cell: ` +
    `throughput relative to the baseline column ${baseText}, ` +
    (`with its ${overview.level * 100}% bootstrap interval (ratio of ` +
      `medians, ${overview.draws} seeded resamples of the samples); `) +
    ('hover a cell for its throughput. The geometric mean of a column is ' +
      'over the cells it and the baseline both timed.</p>');
  const left =
    hidden.length > 0
      ? `<p class="muted">Not shown (unavailable in every run): ` + `${escapeHtml(hidden.join('; '))}.</p>`
      : '';
  return `<h2>Overview</h2>${intro}${heatmapHtml(overview, describer(merged))}${left}`;
}

/** report --store: the store's trends, by cell. */
interface ReportHistory {
  readonly report: TrendReport;
  readonly byCell: ReadonlyMap<string, readonly SeriesTrend[]>;
}

/** What the trends left out (runs off the branch, of dirty checkouts), said once above the cells. */
function historyNote(report: TrendReport, store: string): string {
  const { runs, commits } = report.notInHistory;
  const off = commits.length > 0 ? ` ${runs} run(s) at ${commits.length} commit(s) off that history are left out.` : '';
  const dirty = report.dirtyRuns > 0 ? ` ${report.dirtyRuns} run(s) of dirty checkouts are left out.` : '';
  const from = `History from ${escapeHtml(store)}, ordered by the first-parent history of ${escapeHtml(report.ref)}.`;
  return `<p class="muted">${from}` + `${escapeHtml(off + dirty)}</p>`;
}

export async function renderReport(
  merged: readonly MergedRow[],
  overview: Overview,
  generatedAt: Date,
  history?: { readonly report: TrendReport; readonly store: string },
): Promise<string> {
  const trends = history ? { report: history.report, byCell: trendsByCell(history.report) } : undefined;
  const machines = [...new Set(merged.map((m) => m.machine))];
  const baseline = overview.columns[overview.baseline]?.series ?? machines[0];
  const runs = [...new Map(merged.map((m) => [m.run.context.runId + m.run.dir, m.run])).values()];
  const seriesOf = new Map(merged.map((m) => [m.run, m.machine]));
  const testbeds = new Set(merged.map((m) => m.testbed)).size;
  const parts: string[] = [];
  parts.push(`<h1>modelbench report</h1><p class="muted">Generated ${escapeHtml(generatedAt.toISOString())}.</p>`);
  parts.push(overviewPart(overview, merged, runs.length, testbeds));
  parts.push(`<h2>Testbeds</h2>${testbedsHtml(merged, runs)}`);
  parts.push(`<details><summary>Runs (${runs.length})</summary>${runsTable(runs, seriesOf)}</details>`);
  parts.push(
    `<h2>Cells by model</h2><p class="muted">Error bars span the ` +
      `throughput at the first and third quartiles of the latency ` +
      `samples.</p>`,
  );
  if (history) parts.push(historyNote(history.report, history.store));
  for (const [model, entries] of groupBy(merged, (m) => m.row.model)) {
    const sections: string[] = [];
    const byCell = groupBy(entries, (m) => cellLabel(m.row));
    for (const [cell, cellEntries] of byCell) {
      sections.push(await cellSection(cell, cellEntries, machines, baseline, trends));
    }
    parts.push(
      `<details><summary>${escapeHtml(model)} (${byCell.size}` + ` cell(s))</summary>${sections.join('\n')}</details>`,
    );
  }
  const head = `<head><meta charset="utf-8"><title>modelbench report</title><style>${STYLE}</style></head>`;
  return `<!doctype html>\n<html lang="en">${head}\n<body>\n${parts.join('\n')}\n</body></html>\n`;
}
