// Judging a counted calibration's finished pair (calibrate-counted.ts runs them): the counted gate on baseline vs A/A
// twin (any regression is a false alarm) and on baseline vs worked twin (a worked row is caught when it regresses),
// tallied per row with the changes each row really showed.
import path from 'node:path';
import { loadSide } from '../../results/load-runs.js';
import { pool } from '../../stats/pool.js';
import { compareCounted } from '../counted-gate.js';
import { completeRuns } from './calibrate.js';

export const SIDES = ['baseline', 'twin', 'worked'] as const;
export type Side = (typeof SIDES)[number];

/** Whether a side of a pair holds a complete run. */
export const finished = (dir: string): boolean => completeRuns(dir) > 0;

export interface CountedTally {
  aaAlarms: number;
  caught: number;
  worked: number;
  /** The worked twin's change of estimated cycles per call, pair by pair: the work the row really got. */
  workedChanges: number[];
  /** The A/A pair's change, pair by pair. */
  aaChanges: number[];
  detectable: number[];
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(3)}%`;
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const range = (xs: readonly number[]) => (xs.length ? `${pct(Math.min(...xs))} .. ${pct(Math.max(...xs))}` : '');

function tallyOf(tallies: Map<string, CountedTally>, key: string): CountedTally {
  let t = tallies.get(key);
  if (!t)
    tallies.set(key, (t = { aaAlarms: 0, caught: 0, worked: 0, workedChanges: [], aaChanges: [], detectable: [] }));
  return t;
}

/** Judges one finished pair into the tallies; returns its line. */
export function judgePair(
  dir: string,
  i: number,
  tallies: Map<string, CountedTally>,
): { line: string; alarm: boolean } {
  const base = pool(loadSide(path.join(dir, 'baseline'))).rows;
  const aa = compareCounted(base, pool(loadSide(path.join(dir, 'twin'))).rows);
  const worked = pool(loadSide(path.join(dir, 'worked')));
  const workSpec = (worked.runs[0].context.options as { injectWork?: string }).injectWork ?? '';
  const injected = new Set(workSpec.split(',').map((p) => p.slice(0, p.lastIndexOf('='))));
  const alarms = aa.rows.filter((r) => r.verdict === 'regression');
  for (const r of aa.rows) {
    const t = tallyOf(tallies, r.key);
    if (r.verdict === 'regression') t.aaAlarms++;
    if (r.change !== undefined) t.aaChanges.push(r.change);
    if (r.detectable !== undefined) t.detectable.push(r.detectable);
  }
  const missed: string[] = [];
  for (const r of compareCounted(base, worked.rows).rows.filter((x) => injected.has(x.key))) {
    const t = tallyOf(tallies, r.key);
    t.worked++;
    if (r.change !== undefined) t.workedChanges.push(r.change);
    if (r.verdict === 'regression') t.caught++;
    else
      missed.push(
        `${r.key} (${r.verdict}${r.change !== undefined ? `, ${pct(r.change)}` : ''}${r.note ? `: ${r.note}` : ''})`,
      );
  }
  const aaText = alarms.length ? `FALSE ALARM (${alarms.map((r) => `${r.key} ${pct(r.change!)}`).join('; ')})` : 'pass';
  const workedText = missed.length ? `missed ${missed.join('; ')}` : 'every worked row caught';
  return { line: `pair ${i}: A/A ${aaText}; worked: ${workedText}`, alarm: alarms.length > 0 };
}

/** The table per row, in Markdown. */
export function tableOf(tallies: Map<string, CountedTally>, judged: number, inject: string): string[] {
  const cells = (t: CountedTally) => [
    range(t.aaChanges),
    t.detectable.length ? `${(100 * median(t.detectable)).toFixed(2)}%` : '',
    range(t.workedChanges),
    t.worked ? `${t.caught} of ${t.worked}` : 'not worked',
    `${t.aaAlarms} of ${judged}`,
  ];
  return [
    `| row | A/A change (range) | detectable (median) | worked change (range; asked ${inject}) | caught | ` +
      'A/A false alarms |',
    '|---|---:|---:|---:|---:|---:|',
    ...[...tallies.entries()].map(([key, t]) => `| ${key} | ${cells(t).join(' | ')} |`),
  ];
}
