// The human summary of a run: the table printed at the end and written to summary.txt.
import type { Row } from '../types.js';
import type { RunContext } from './context.js';
import { fmt, textTable } from './format.js';

export function summaryTable(rows: readonly Row[]): string {
  const header = ['model', 'workload', 'size', 'backend', 'status', 'median ms', '±rme %', 'throughput', 'objective', 'check', 'note'];
  const body = rows.map((r) => [
    r.model,
    r.workload,
    r.size,
    r.backend,
    r.status,
    fmt(r.medianMs, 4),
    fmt(r.rmePct, 2),
    r.throughput === undefined ? '' : `${fmt(r.throughput, 3)} ${r.throughputUnit ?? ''}`,
    r.objective === undefined ? '' : `${r.objectiveName} ${fmt(r.objective, 8)}`,
    r.check ?? '',
    (r.error ?? '').slice(0, 90),
  ]);
  return textTable(header, body);
}

export function summaryText(ctx: RunContext, rows: readonly Row[]): string {
  const lines = [
    `modelbench run ${ctx.runId}`,
    `suite ${ctx.suite}; seed ${ctx.baseSeed}; git ${ctx.gitSha.slice(0, 12)}${ctx.gitDirty ? ' (dirty)' : ''}`,
    `${ctx.cpuModel} x${ctx.cpuCores}, ${ctx.memoryGiB} GiB, ${ctx.os}; Node ${ctx.nodeVersion}, tfjs ${ctx.tfjsVersion}, tinybench ${ctx.tinybenchVersion}`,
    ...ctx.backends.map((b) =>
      b.available ? `backend ${b.name}: ${b.runtime!.version} on ${b.runtime!.device}` : `backend ${b.name}: unavailable (${b.reason}); fix: ${b.fix}`,
    ),
    '',
    summaryTable(rows),
  ];
  const bad = rows.filter((r) => r.status === 'errored' || r.status === 'check-failed');
  lines.push('', bad.length === 0 ? 'verdict: VALID (every check passed)' : `verdict: INVALID (${bad.length} row(s) errored or failed a check)`);
  return lines.join('\n') + '\n';
}
