// The gate on counted rows (run --measure instructions): a row regresses when its estimated cycles per
// call rise by more than the larger of the minimum effect for counts (0.5% by default) and the noise
// both sides measured (the spread of each side's counted processes, added). Instructions are reported
// beside it. Counts are only compared between rows whose counted spans are equal: the count per call
// depends on the span (docs/counted-measurement.md). Time and counts are gated apart.
import { mdTable, textTable } from '../format.js';
import type { Row } from '../types.js';

export const COUNTED_MIN_EFFECT = 0.005;

export type CountedVerdict = 'regression' | 'improvement' | 'no change' | 'not compared';

export interface CountedRow {
  readonly key: string;
  readonly baselineCycles?: number;
  readonly candidateCycles?: number;
  /** Relative change of estimated cycles per call (0.02 = 2% more). */
  readonly change?: number;
  readonly instructionsChange?: number;
  /** The smallest change this row can flag: max(minimum effect, both sides' spreads). */
  readonly detectable?: number;
  readonly verdict: CountedVerdict;
  readonly note?: string;
}

export interface CountedComparison {
  readonly rows: readonly CountedRow[];
  readonly regressions: number;
  readonly minEffect: number;
}

const isCounted = (r: Row) => r.estCyclesPerCall !== undefined;

/** Whether a side has counted rows at all (a gate between a counted and a timed-only run refuses). */
export function hasCountedRows(rows: Iterable<Row>): boolean {
  for (const r of rows) if (isCounted(r)) return true;
  return false;
}

function judge(key: string, b: Row, c: Row, minEffect: number): CountedRow {
  if (b.countedCalls !== c.countedCalls) {
    return {
      key,
      verdict: 'not compared',
      note:
        `counted spans differ (baseline ${b.countedCalls} calls, candidate ` +
        `${c.countedCalls}): count both with the same span`,
    };
  }
  const change = c.estCyclesPerCall! / b.estCyclesPerCall! - 1;
  const instructionsChange = c.instructionsPerCall! / b.instructionsPerCall! - 1;
  const detectable = Math.max(minEffect, ((b.countSpreadPct ?? 0) + (c.countSpreadPct ?? 0)) / 100);
  const verdict: CountedVerdict =
    change > detectable ? 'regression' : change < -detectable ? 'improvement' : 'no change';
  return {
    key,
    baselineCycles: b.estCyclesPerCall,
    candidateCycles: c.estCyclesPerCall,
    change,
    instructionsChange,
    detectable,
    verdict,
  };
}

export function compareCounted(
  baseline: ReadonlyMap<string, Row>,
  candidate: ReadonlyMap<string, Row>,
  minEffect = COUNTED_MIN_EFFECT,
): CountedComparison {
  const rows: CountedRow[] = [];
  for (const [key, b] of baseline) {
    const c = candidate.get(key);
    if (!isCounted(b) || !c) continue;
    rows.push(
      isCounted(c)
        ? judge(key, b, c, minEffect)
        : {
            key,
            verdict: 'not compared',
            note: `the candidate did not count it${c.countNote ? ` (${c.countNote})` : ''}`,
          },
    );
  }
  return { rows, regressions: rows.filter((r) => r.verdict === 'regression').length, minEffect };
}

const pct = (x: number | undefined) => (x === undefined ? '' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(3)}%`);

/** The counted table for people: plain text, or Markdown for a pull-request comment. */
export function renderCounted(result: CountedComparison, markdown = false): string {
  const body = result.rows.map((r) => [
    r.key,
    r.baselineCycles?.toFixed(0) ?? '',
    r.candidateCycles?.toFixed(0) ?? '',
    pct(r.change),
    pct(r.instructionsChange),
    r.detectable === undefined ? '' : `${(100 * r.detectable).toFixed(2)}%`,
    r.verdict,
    r.note ?? '',
  ]);
  const header = [
    'row (counted)',
    'baseline est. cycles/call',
    'candidate',
    'change',
    'instructions',
    'detectable',
    'verdict',
    'note',
  ];
  const verdict =
    result.regressions > 0 ? `FAIL: ${result.regressions} counted row(s) regressed` : 'PASS (counted rows)';
  const title =
    `counted rows (estimated cycles per call; minimum effect ` +
    `${(100 * result.minEffect).toFixed(1)}%, or both sides' spread when larger)`;
  if (markdown) return `### Counted\n\n${title}\n\n${mdTable(header, body)}\n\n**${verdict}**\n`;
  return `${title}:\n${textTable(header, body)}\n${verdict}\n`;
}
