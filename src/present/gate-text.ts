// The comparison as a terminal table (coloured on a TTY), Markdown (CI job summary, PR comment),
// JSON, and github-action-benchmark's customSmallerIsBetter format.
import { fmt, mdTable, textTable } from '../format.js';
import type { Comparison, QualityVerdict, SpeedRow, SpeedVerdict } from '../gate/gate.js';
import type { PooledSide } from '../stats/pool.js';

export const FORMATS = ['table', 'markdown', 'json', 'github-benchmark'] as const;
export type Format = (typeof FORMATS)[number];

const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';

function colourSpeed(v: SpeedVerdict, colour: boolean): string {
  if (!colour) return v;
  if (v === 'regression') return `${RED}${v}${RESET}`;
  if (v === 'improvement') return `${GREEN}${v}${RESET}`;
  if (v === 'too few samples' || v === 'not timed') return `${YELLOW}${v}${RESET}`;
  return v;
}

function colourQuality(v: QualityVerdict, colour: boolean): string {
  if (!colour) return v;
  return v === 'ok' ? v : v === 'not run' || v === 'expected failure' ? `${YELLOW}${v}${RESET}` : `${RED}${v}${RESET}`;
}

function pct(x: number | undefined): string {
  return x === undefined ? '' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

/** The minimum detectable effect, e.g. ">= 6.2%", or "> 100%" where even a doubling would be missed. */
/** The speed table's columns, in the text and the Markdown form alike. */
const SPEED_HEADER = [
  'row',
  'baseline median ms',
  'candidate median ms',
  'shift',
  'p',
  'n',
  'detectable',
  'samples for 5%',
  'verdict',
];

/** One row's measured cells between its key and its verdict. */
function speedCells(s: SpeedRow): string[] {
  return [
    fmt(s.baselineMedian, 4),
    fmt(s.candidateMedian, 4),
    pct(s.change),
    s.p === undefined ? '' : s.p.toExponential(1),
    `${s.nBaseline}/${s.nCandidate}`,
    detectableText(s),
    samplesText(s),
  ];
}

export function detectableText(s: Pick<SpeedRow, 'mde' | 'p'>): string {
  if (s.p === undefined) return '';
  return s.mde === undefined ? '> 100%' : `${(s.mde * 100).toFixed(1)}%`;
}

/** Samples (or, paired, bursts) that would catch 5%, and the runs (rounds) they take when runs differ. */
function samplesText(s: Pick<SpeedRow, 'samplesFor5Pct' | 'runsFor5Pct' | 'p' | 'nCandidate' | 'paired'>): string {
  if (s.p === undefined) return '';
  const unit = s.paired ? ' bursts' : '';
  if (s.samplesFor5Pct === undefined) return `> ${64 * (s.paired?.bursts ?? s.nCandidate)}${unit}`;
  return s.runsFor5Pct === undefined
    ? `${s.samplesFor5Pct}${unit}`
    : `${s.samplesFor5Pct}${unit} (${s.runsFor5Pct} runs)`;
}

export function verdictLine(c: Comparison): string {
  const speed = c.regressions === 0 ? 'no speed regression' : `${c.regressions} speed regression(s)`;
  const quality = c.qualityFailures === 0 ? 'no quality failure' : `${c.qualityFailures} quality failure(s)`;
  return (
    `${c.regressions + c.qualityFailures === 0 ? 'PASS' : 'FAIL'}: ${speed}` +
    `, ${quality} (alpha ${c.options.alpha} with Holm correction over ` +
    `${c.speed.filter((s) => s.p !== undefined).length} rows, minimum ` +
    `effect ${(c.options.minEffect * 100).toFixed(0)}%)`
  );
}

export function renderTable(c: Comparison, colour: boolean): string {
  const out: string[] = [];
  if (c.environment.length > 0) {
    out.push('Environment differs (a comparison across machines or set-ups, not only across commits):');
    out.push(
      textTable(
        ['field', 'baseline', 'candidate'],
        c.environment.map((e) => [e.field, e.baseline, e.candidate]),
      ),
      '',
    );
  } else out.push('Environment: identical on every recorded field.', '');
  out.push('Speed:');
  out.push(
    textTable(
      [...SPEED_HEADER, 'detail'],
      c.speed.map((s) => [s.key, ...speedCells(s), colourSpeed(s.verdict, colour), s.detail]),
    ),
    '',
    'Quality:',
    textTable(
      ['row', 'verdict', 'detail'],
      c.quality.map((q) => [q.key, colourQuality(q.verdict, colour), q.detail]),
    ),
  );
  if (c.onlyInBaseline.length) out.push('', `Only in the baseline (not compared): ${c.onlyInBaseline.join(', ')}`);
  if (c.onlyInCandidate.length) out.push('', `Only in the candidate (not compared): ${c.onlyInCandidate.join(', ')}`);
  out.push('', verdictLine(c));
  return out.join('\n') + '\n';
}

export function renderMarkdown(c: Comparison): string {
  const icon = (v: string) =>
    v === 'regression' || v === 'failed' || v === 'errored' || v === 'moved'
      ? `❌ ${v}`
      : v === 'improvement'
        ? `✅ ${v}`
        : v;
  const out = [`## modelbench compare: ${verdictLine(c)}`, ''];
  if (c.environment.length > 0) {
    out.push(
      '**Environment differs** — this compares machines or set-ups, not only commits:',
      '',
      mdTable(
        ['field', 'baseline', 'candidate'],
        c.environment.map((e) => [e.field, e.baseline, e.candidate]),
      ),
      '',
    );
  }
  out.push(
    '### Speed',
    '',
    mdTable(
      SPEED_HEADER,
      c.speed.map((s) => [`\`${s.key}\``, ...speedCells(s), icon(s.verdict)]),
    ),
    '',
    '### Quality',
    '',
    mdTable(
      ['row', 'verdict', 'detail'],
      c.quality.map((q) => [`\`${q.key}\``, icon(q.verdict), q.detail]),
    ),
  );
  if (c.onlyInBaseline.length)
    out.push('', `Only in the baseline: ${c.onlyInBaseline.map((k) => `\`${k}\``).join(', ')}`);
  if (c.onlyInCandidate.length)
    out.push('', `Only in the candidate: ${c.onlyInCandidate.map((k) => `\`${k}\``).join(', ')}`);
  return out.join('\n') + '\n';
}

export function renderJson(c: Comparison): string {
  return JSON.stringify({ verdict: c.regressions + c.qualityFailures === 0 ? 'pass' : 'fail', ...c }, null, 2) + '\n';
}

/** github-action-benchmark `customSmallerIsBetter`: one entry per candidate row with samples. */
export function renderGithubBenchmark(candidate: PooledSide): string {
  const entries = [...candidate.rows.entries()]
    .filter(([, r]) => r.medianMs !== undefined && (r.rawSamples?.length ?? 0) > 0)
    .map(([key, r]) => ({
      name: key,
      unit: 'ms',
      value: r.medianMs,
      range: r.rmePct === undefined ? undefined : `±${r.rmePct.toFixed(2)}%`,
      extra:
        `${r.samples} samples; ${r.device}; status ${r.status}` +
        `${r.objective !== undefined ? `; ${r.objectiveName} ${r.objective}` : ''}`,
    }));
  return JSON.stringify(entries, null, 2) + '\n';
}
