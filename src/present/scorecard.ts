// The scorecard of a run: per implementation and model, its conformance verdicts (validate's checks),
// how many of its timed rows the oracle passed, and the speed of each workload relative to our
// fastest backend on the same cell, measured side by side in the same run.
import type { ConformanceRecord } from '../validate/conformance-record.js';
import type { Row } from '../types.js';
import { fmt, textTable } from '../format.js';
import { implementationOf, isImplementationRow } from '../results/row-identity.js';

export interface ScorecardSpeed {
  readonly workload: string;
  readonly size: string;
  /** Our fastest backend's median over this implementation's: above 1, it is faster than ours. */
  readonly relativeSpeed: number;
  readonly ourBackend: string;
}

export interface ScorecardLine {
  readonly implementation: string;
  readonly model: string;
  readonly conformance?: {
    readonly passed: number;
    readonly failed: number;
    readonly errored: number;
    readonly xfail: number;
    readonly total: number;
    readonly conforms: boolean;
    readonly why?: string;
  };
  readonly rowChecks: { readonly passed: number; readonly total: number };
  readonly speed: readonly ScorecardSpeed[];
}

export function buildScorecard(rows: readonly Row[], conformance: readonly ConformanceRecord[]): ScorecardLine[] {
  const fastest = new Map<string, Row>();
  for (const r of rows.filter((x) => !isImplementationRow(x) && x.status === 'ok' && x.medianMs !== undefined)) {
    const key = `${r.model}/${r.workload}/${r.size}`;
    if (!fastest.has(key) || fastest.get(key)!.medianMs! > r.medianMs!) fastest.set(key, r);
  }
  const lines = new Map<string, { implementation: string; model: string; rows: Row[] }>();
  // Ours is one line per model (every backend's rows), the reference the others are measured against.
  for (const r of rows) {
    const key = `${implementationOf(r)}\u0000${r.model}`;
    if (!lines.has(key)) lines.set(key, { implementation: implementationOf(r), model: r.model, rows: [] });
    lines.get(key)!.rows.push(r);
  }
  for (const c of conformance) {
    const key = `${c.implementation}\u0000${c.model}`;
    if (!lines.has(key)) lines.set(key, { implementation: c.implementation, model: c.model, rows: [] });
  }
  return [...lines.values()].map(({ implementation, model, rows: own }) => {
    const c = conformance.find((x) => x.implementation === implementation && x.model === model);
    const count = (s: string) => c?.outcomes.filter((o) => o.status === s).length ?? 0;
    const speed: ScorecardSpeed[] = [];
    for (const r of own.filter((x) => isImplementationRow(x) && (x.status === 'ok' || x.status === 'check-failed'))) {
      const ours = fastest.get(`${r.model}/${r.workload}/${r.size}`);
      if (ours && r.medianMs)
        speed.push({
          workload: r.workload,
          size: r.size,
          relativeSpeed: ours.medianMs! / r.medianMs,
          ourBackend: ours.backend,
        });
    }
    return {
      implementation,
      model,
      conformance: c
        ? {
            passed: count('passed'),
            failed: count('failed'),
            errored: count('errored'),
            xfail: count('xfail'),
            total: c.outcomes.length,
            conforms: c.conforms,
            why: c.why,
          }
        : undefined,
      rowChecks: {
        passed: own.filter((x) => x.check === 'pass').length,
        total: own.filter((x) => x.status !== 'unavailable').length,
      },
      speed,
    };
  });
}

function conformanceText(line: ScorecardLine): string {
  const c = line.conformance;
  if (!c) return 'not run';
  const parts = [
    `${c.passed}/${c.total} passed`,
    c.failed ? `${c.failed} failed` : '',
    c.errored ? `${c.errored} errored` : '',
    c.xfail ? `${c.xfail} xfail` : '',
  ].filter(Boolean);
  return `${c.conforms ? 'CONFORMS' : 'DOES NOT CONFORM'}: ${parts.join(', ')}`;
}

function speedText(line: ScorecardLine): string {
  if (line.implementation === 'modelbench') return 'the reference (1x)';
  return (
    line.speed
      .map(
        (s) =>
          `${s.workload} ${s.size.replace(/rows=|cols=|batch=/g, '').replace(';', 'x')}: ${fmt(s.relativeSpeed, 3)}x`,
      )
      .join('; ') || '-'
  );
}

export function renderScorecard(lines: readonly ScorecardLine[], format: 'table' | 'markdown' | 'json'): string {
  if (format === 'json') return JSON.stringify(lines, null, 2) + '\n';
  const header = [
    'implementation',
    'model',
    'conformance (validate checks)',
    'timed rows passing the oracle',
    'speed vs our fastest backend (>1: faster than ours)',
  ];
  const body = lines.map((l) => [
    l.implementation,
    l.model,
    conformanceText(l),
    l.rowChecks.total ? `${l.rowChecks.passed}/${l.rowChecks.total}` : '-',
    speedText(l),
  ]);
  if (format === 'table') return textTable(header, body) + '\n';
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return (
    [
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...body.map((r) => `| ${r.map(esc).join(' | ')} |`),
    ].join('\n') + '\n'
  );
}
