// The overview as an HTML table coloured by ratio (no script, no image): rows are cells, columns are
// testbed x backend, each cell its throughput relative to the baseline column with its interval.
import { fmt } from '../format.js';
import { escapeHtml } from './html-parts.js';
import type { Overview, OverviewCell, OverviewColumn } from './overview.js';
import { PRE_TESTBED } from '../results/testbed.js';

/** |log2 ratio| at which the colour saturates: 8x faster or slower looks alike beyond. */
const SATURATION_LOG2 = 3;
const NEUTRAL = [247, 247, 247];
const FASTER = [33, 102, 172];
const SLOWER = [178, 24, 43];

export const HEATMAP_STYLE = `table.heatmap{border-collapse:collapse;font-size:13px}
.heatmap th,.heatmap td{border:1px solid #ccc;padding:3px 6px;text-align:center;vertical-align:middle}
.heatmap th.cell{text-align:left;white-space:nowrap;font-weight:normal}.heatmap td{min-width:5.2em}
.heatmap .iv{font-size:11px;opacity:.85;white-space:nowrap}.overview-scroll{overflow-x:auto}
.heatmap td.failed{outline:3px solid #b00020;outline-offset:-3px}
.heatmap .bad{color:#b00020;font-weight:bold}.heatmap td.none{color:#999;background:#fff}
.heatmap tr.geo th,.heatmap tr.geo td{border-top:2px solid #666;font-weight:bold}.heatmap th.tb{font-size:12px}
.legend span{display:inline-block;padding:2px 8px;margin-right:2px;font-size:12px}`;

/** The cell's colours: white at 1x, blue when faster than the baseline column, red when slower. */
export function ratioColour(ratio: number): { background: string; text: string } {
  const t = Math.max(-1, Math.min(1, Math.log2(ratio) / SATURATION_LOG2));
  const to = t >= 0 ? FASTER : SLOWER;
  const mix = NEUTRAL.map((c, i) => Math.round(c + (to[i] - c) * Math.abs(t)));
  return {
    background: `#${mix.map((c) => c.toString(16).padStart(2, '0')).join('')}`,
    text: Math.abs(t) > 0.55 ? '#fff' : '#111',
  };
}

const times = (x: number) => `${fmt(x, 3)}\u00d7`;

function cellTitle(cell: OverviewCell, column: OverviewColumn, baseline: OverviewColumn): string {
  const where = `${column.series} / ${column.backend}`;
  if (cell.state !== 'timed') return `${where}: ${cell.state}${cell.error ? ` (${cell.error})` : ''}`;
  const speed =
    `${fmt(cell.throughput, 4)} ${cell.unit ?? ''}, median of ` + `${cell.samples} sample(s) from ${cell.runs} run(s)`;
  const interval = cell.low !== undefined ? `, 95% bootstrap interval ${fmt(cell.low, 3)}-${fmt(cell.high, 3)}` : '';
  const of = `${baseline.series} / ${baseline.backend}`;
  const ratio =
    cell.ratio !== undefined
      ? `; ${times(cell.ratio)} of ${of}${interval}`
      : '; the baseline column did not time this cell';
  return `${where}: ${speed}${ratio}${cell.checkFailed ? '; a check FAILED' : ''}`;
}

function cellHtml(cell: OverviewCell, column: OverviewColumn, baseline: OverviewColumn, isBaseline: boolean): string {
  const title = ` title="${escapeHtml(cellTitle(cell, column, baseline))}"`;
  const failed = cell.checkFailed ? '<br><span class="bad">\u2717 check failed</span>' : '';
  const cls = (...names: string[]) => ` class="${names.filter(Boolean).join(' ')}"`;
  if (cell.state !== 'timed') {
    const text = { errored: '<span class="bad">errored</span>', unavailable: 'n/a', 'not run': '\u2014', timed: '' }[
      cell.state
    ];
    return `<td${cls('none', cell.checkFailed ? 'failed' : '')}${title}>${text}${failed}</td>`;
  }
  if (cell.ratio === undefined) {
    const unit = `<span class="iv">${escapeHtml(cell.unit ?? '')}, no baseline</span>`;
    return (
      `<td${cls('none', cell.checkFailed ? 'failed' : '')}${title}>` +
      `${escapeHtml(fmt(cell.throughput, 3))}<br>${unit}${failed}</td>`
    );
  }
  const { background, text } = ratioColour(cell.ratio);
  const interval = isBaseline
    ? 'baseline'
    : cell.low !== undefined
      ? `${fmt(cell.low, 3)}\u2013${fmt(cell.high, 3)}`
      : 'no samples';
  const style = ` style="background:${background};color:${text}"`;
  return (
    `<td${cls(cell.checkFailed ? 'failed' : '')}${style}${title}><b>` +
    `${times(cell.ratio)}</b><br><span class="iv">${interval}</span>` +
    `${failed}</td>`
  );
}

/** Two header rows: each series over its backends, then the backends; attributes name both for the browser test. */
function header(o: Overview, describe: (column: OverviewColumn) => string): string {
  const groups: { column: OverviewColumn; span: number }[] = [];
  for (const c of o.columns) {
    const last = groups.at(-1);
    if (last && last.column.series === c.series) last.span++;
    else groups.push({ column: c, span: 1 });
  }
  const top = groups.map(({ column, span }) => {
    // A pre-testbed series names its machine after the label: the label on top, the machine under it.
    const old = column.series.startsWith(`${PRE_TESTBED}: `);
    const [name, about] = old
      ? [PRE_TESTBED, column.series.slice(PRE_TESTBED.length + 2)]
      : [column.series, describe(column)];
    const under = about ? `<br><span class="iv">${escapeHtml(about)}</span>` : '';
    return (
      `<th class="tb" colspan="${span}" data-series="` +
      `${escapeHtml(column.series)}">${escapeHtml(name)}${under}</th>`
    );
  });
  const backends = o.columns.map((c, j) => {
    const data = `data-series="${escapeHtml(c.series)}" data-backend="${escapeHtml(c.backend)}"`;
    return `<th class="be" ${data}>${escapeHtml(c.backend)}${j === o.baseline ? ' (baseline)' : ''}</th>`;
  });
  return (
    `<thead><tr><th class="cell" rowspan="2">model / workload / size</th>` +
    `${top.join('')}</tr>\n<tr>${backends.join('')}</tr></thead>`
  );
}

function legend(): string {
  const steps = [1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8];
  const swatches = steps.map((r) => {
    const { background, text } = ratioColour(r);
    return `<span style="background:${background};color:${text}">${r < 1 ? `1/${1 / r}` : r}\u00d7</span>`;
  });
  return (
    `<p class="legend">${swatches.join('')} <span class="muted">throughput ` +
    `relative to the baseline column; beyond 8\u00d7 the colour ` +
    `stays</span></p>`
  );
}

export function heatmapHtml(o: Overview, describe: (column: OverviewColumn) => string): string {
  if (o.columns.length === 0) return '<p class="muted">No timed cell in these runs.</p>';
  const base = o.columns[o.baseline];
  const body = o.rows.map((r) => {
    const cells = r.cells.map((c, j) => cellHtml(c, o.columns[j], base, j === o.baseline));
    return `<tr><th class="cell">${escapeHtml(r.label)}</th>${cells.join('')}</tr>`;
  });
  const geo = o.geomean.map((g, j) => {
    if (g.ratio === undefined) return '<td class="none">\u2014</td>';
    const { background, text } = ratioColour(g.ratio);
    const over = j === o.baseline ? 'baseline' : `over ${g.cells} cell(s)`;
    return (
      `<td style="background:${background};color:${text}">${times(g.ratio)}` +
      `<br><span class="iv">${over}</span></td>`
    );
  });
  const foot = `<tr class="geo"><th class="cell">geometric mean (cells both columns ran)</th>${geo.join('')}</tr>`;
  // Many implementations under test make a wide map: it scrolls in its own box, the page keeps its width.
  const map =
    `<table class="heatmap" id="overview">${header(o, describe)}\n<tbody>\n` +
    `${body.join('\n')}\n${foot}\n</tbody></table>`;
  return `<div class="overview-scroll">${map}</div>\n${legend()}`;
}
