// One self-contained HTML report from many runs: charts inline as SVG, styles inline, no scripts.
import type { Row } from '../types.js';
import { throughputChart, type Bar } from './charts.js';
import { fmt } from './format.js';
import type { LoadedRun } from '../compare/load-runs.js';
import { cellLabel, commitLabel, type MergedRow } from './merge.js';
import { quantile } from './stats.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

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
  const timed = rows.filter((r) => r.status !== 'unavailable' && r.throughput !== undefined && r.medianMs !== undefined);
  if (timed.length === 0) return undefined;
  const work = (timed[0].throughput! * timed[0].medianMs!) / 1000;
  const samples = timed.flatMap((r) => r.rawSamples ?? []).sort((a, b) => a - b);
  const at = (ms: number) => work / (ms / 1000);
  if (samples.length === 0) return { machine, backend, throughput: timed[0].throughput!, low: timed[0].throughput!, high: timed[0].throughput!, unit: timed[0].throughputUnit ?? '', rows };
  return { machine, backend, throughput: at(quantile(samples, 0.5)), low: at(quantile(samples, 0.75)), high: at(quantile(samples, 0.25)), unit: timed[0].throughputUnit ?? '', rows };
}

/** GFLOP/s and the share of the backend's matMul ceiling, from the pooled rows (the median of their values). */
function efficiencyOf(rows: readonly Row[]): string {
  const gflops = rows.map((r) => r.gflops).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  if (gflops.length === 0) return '';
  const fractions = rows.map((r) => r.ceilingFraction).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  const fraction = fractions.length > 0 ? `, ${(100 * quantile(fractions, 0.5)).toFixed(0)}% of its matMul ceiling` : '';
  return `<br><span class="muted">${fmt(quantile(gflops, 0.5), 3)} GFLOP/s${fraction}</span>`;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    m.set(k, [...(m.get(k) ?? []), it]);
  }
  return m;
}

/** Why a machine has no bar for a backend: not run there, or every row of it errored or was unavailable. */
function whyNoBar(entries: readonly MergedRow[], machine: string, backend: string): string {
  const rows = entries.filter((e) => e.machine === machine && e.row.backend === backend).map((e) => e.row);
  if (rows.length === 0) return 'not run on this machine';
  const statuses = [...new Set(rows.map((r) => r.status))].join(', ');
  return `no timing samples: ${statuses}`;
}

/** A table cell: text (escaped when written) or markup built here from escaped parts. Text is the default, so a string
 *  from a results file can never be markup. */
type CellContent = string | { readonly html: string };

const markup = (html: string): CellContent => ({ html });

function table(header: readonly string[], rows: readonly (readonly CellContent[])[]): string {
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'string' ? escapeHtml(c) : c.html}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#f3f3f3}.pass{color:#176f2c}.fail{color:#b00020;font-weight:bold}.muted{color:#777}
section{margin-bottom:2.5em}figure{margin:0}h2{border-bottom:1px solid #ddd}`;

/** One line per run: machine, id (marked when incomplete), suite, commit, versions, and each backend's device. */
function runsTable(runs: readonly LoadedRun[]): string {
  return table(
    ['machine', 'run', 'suite', 'git', 'Node / tfjs', 'backends'],
    runs.map((r) => {
      const c = r.context;
      const backends = c.backends.map((b) => escapeHtml(b.available ? `${b.name}: ${b.runtime!.device}` : `${b.name}: unavailable`)).join('<br>');
      const run = markup(escapeHtml(c.runId) + (c.complete === false ? ' <b>(incomplete: stopped before its end)</b>' : ''));
      const git = c.gitSha.slice(0, 12) + (c.gitDirty ? ' (dirty)' : '');
      return [`${c.host} (${c.cpuModel} x${c.cpuCores})`, run, c.suite, git, `${c.nodeVersion} / ${c.tfjsVersion}`, markup(backends)];
    }),
  );
}

export async function renderReport(merged: readonly MergedRow[], baselineMachine: string | undefined, generatedAt: Date): Promise<string> {
  const machines = [...new Set(merged.map((m) => m.machine))];
  // A machine named without its commit stands for its first series.
  const baseline = baselineMachine === undefined ? machines[0] : (machines.find((m) => m === baselineMachine) ?? machines.find((m) => m.startsWith(`${baselineMachine} @ `)) ?? baselineMachine);
  if (!machines.includes(baseline)) throw new Error(`--baseline-machine '${baseline}' is not among the machines: ${machines.join('; ')}`);
  const runs = [...new Map(merged.map((m) => [m.run.context.runId + m.run.dir, m.run])).values()];
  const parts: string[] = [];
  parts.push(`<h1>modelbench report</h1><p class="muted">Generated ${escapeHtml(generatedAt.toISOString())} from ${runs.length} run(s) on ${machines.length} machine(s). Speed-ups are relative to <b>${escapeHtml(baseline)}</b>. Error bars span the throughput at the first and third quartiles of the latency samples.</p>`);
  parts.push(`<h2>Runs</h2>${runsTable(runs)}`);

  const byCell = groupBy(merged, (m) => cellLabel(m.row));
  for (const [cell, entries] of byCell) {
    const pooled: Pooled[] = [];
    for (const [key, group] of groupBy(entries, (e) => `${e.machine}\u0000${e.row.backend}`)) {
      const [machine, backend] = key.split('\u0000');
      const p = poolCell(machine, backend, group.map((g) => g.row));
      if (p) pooled.push(p);
    }
    const bars: Bar[] = pooled.map(({ rows: _rows, ...bar }) => bar);
    const chart = bars.length > 0 ? await throughputChart(cell, bars) : '<p class="muted">no timed rows</p>';
    const backends = [...new Set(entries.map((e) => e.row.backend))];
    const speedups = backends.map((backend) => {
      const base = pooled.find((p) => p.machine === baseline && p.backend === backend);
      return [
        backend,
        ...machines.map((machine) => {
          const p = pooled.find((x) => x.machine === machine && x.backend === backend);
          if (!p) return markup(`<span class="muted">— (${escapeHtml(whyNoBar(entries, machine, backend))})</span>`);
          const speed = base ? `${fmt(p.throughput / base.throughput, 3)}x <span class="muted">(${fmt(p.throughput, 3)} ${escapeHtml(p.unit)})</span>` : `${fmt(p.throughput, 3)} ${escapeHtml(p.unit)}`;
          return markup(`${speed}${efficiencyOf(p.rows)}`);
        }),
      ];
    });
    const checks = entries.map((e) => {
      const r = e.row;
      const verdict = r.check === 'pass' || r.check === 'fail' ? markup(`<span class="${r.check}">${r.check}</span>`) : (r.check ?? '');
      const run = `${e.run.context.runId} (${commitLabel(e.run.context)})`;
      const values = [fmt(r.objective, 10), fmt(r.oracleObjective, 10), fmt(r.relError, 2)];
      return [e.machine, run, r.backend, r.status, verdict, r.objectiveName ?? '', ...values, r.error ?? ''];
    });
    parts.push(
      `<section><h2>${escapeHtml(cell)}</h2><figure class="chart">${chart}</figure>` +
        `<h3>Throughput relative to ${escapeHtml(baseline)}</h3>` +
        table(['backend', ...machines], speedups) +
        '<h3>Objective checks</h3>' +
        table(['machine', 'run (commit)', 'backend', 'status', 'check', 'objective', 'value', 'oracle', 'rel. error', 'note'], checks) +
        '</section>',
    );
  }
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>modelbench report</title><style>${STYLE}</style></head>\n<body>\n${parts.join('\n')}\n</body></html>\n`;
}
