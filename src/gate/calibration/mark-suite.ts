// Writes a gate calibration's verdict into its suite file (modelbench calibrate --mark). A calibrated
// row claims the injected slowdown as within reach only when both measures agree: the gate's predicted
// minimum detectable effect (median over the pairs) is at most the injected fraction, and the injected
// slowdown was caught in at least 95% of the pairs (19 of 20). A prediction alone is made at power 0.8
// and can look within reach while the pairs say otherwise, so a row failing either is marked with both.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { sizeLabel, suiteFile } from '../../timing/suite.js';
import { REPO_ROOT } from '../../results/context.js';
import type { SizeParams } from '../../types.js';

export const CLAIM_SHARE = 0.95;

export interface CalibratedRow {
  readonly caught: number;
  readonly injected: number;
  readonly predicted: readonly number[];
}

interface Mark {
  mde: number;
  injected: number;
  caught: number;
  pairs: number;
}

interface EntryFile {
  model: string;
  workload: string;
  sizes: SizeParams[];
  measuredDetectable?: Record<string, unknown>;
}

interface SuiteFile {
  calibration?: Record<string, string>;
  cells: EntryFile[];
}

export const lowerMedian = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** The row's mark, or undefined when it is within reach by both measures. */
export function markOf(row: CalibratedRow, injectedFraction: number): Mark | undefined {
  const mde = lowerMedian(row.predicted.map((x) => x ?? Infinity));
  if (mde <= injectedFraction && row.caught >= Math.ceil(CLAIM_SHARE * row.injected)) return undefined;
  // 1 stands for "more than 100%" (the prediction's search stops there).
  const shown = Number.isFinite(mde) ? Math.min(1, Math.round(mde * 1000) / 1000) : 1;
  return { mde: shown, injected: injectedFraction, caught: row.caught, pairs: row.injected };
}

/** One entry's marks on one backend: its worst size's mark, or none when every size is within reach. */
function markEntry(entry: EntryFile, backend: string, fraction: number, rows: ReadonlyMap<string, CalibratedRow>) {
  const marks = entry.sizes.flatMap((size) => {
    const row = rows.get(`${entry.model}/${entry.workload}/${sizeLabel(size)}/${backend}`);
    return row && row.injected > 0 ? [{ mark: markOf(row, fraction) }] : [];
  });
  if (marks.length === 0) return;
  const failing = marks.flatMap((m) => (m.mark ? [m.mark] : []));
  const worst = failing.sort((a, b) => b.mde - a.mde || a.caught / a.pairs - b.caught / b.pairs)[0];
  const own = { ...(entry.measuredDetectable ?? {}) };
  if (worst) own[backend] = worst;
  else delete own[backend];
  if (Object.keys(own).length > 0) entry.measuredDetectable = own;
  else delete entry.measuredDetectable;
}

/**
 * Rewrites the suite's marks for the backends the calibration slowed: an entry whose every size is
 * within reach loses its mark on that backend; otherwise it carries its worst size's. Marks on other
 * backends are kept. Written whole to a temporary file and renamed, so a failure leaves the old file.
 */
export function markSuite(
  suite: string,
  calibrationDir: string,
  injectedFraction: number,
  pairs: number,
  rows: ReadonlyMap<string, CalibratedRow>,
  say: (line: string) => void = console.log,
): string {
  const file = suiteFile(suite);
  if (!file) {
    const where = '(suites/NAME.json or a FILE.json); pass --suite with the suite the pairs ran';
    throw new UsageError(`--mark: no suite '${suite}' ${where}`);
  }
  if (!(injectedFraction > 0)) {
    const why = 'injected no slowdown, so it measured no detection to mark';
    throw new UsageError(`--mark: the calibration in ${calibrationDir} ${why}`);
  }
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteFile;
  const slowed = [...rows.entries()].filter(([, r]) => r.injected > 0);
  const backends = new Set(slowed.map(([key]) => key.slice(key.lastIndexOf('/') + 1)));
  for (const entry of raw.cells) for (const backend of backends) markEntry(entry, backend, injectedFraction, rows);
  const inside = path.relative(REPO_ROOT, path.resolve(calibrationDir));
  if (!inside.startsWith('..') && !path.isAbsolute(inside)) {
    raw.calibration = { ...(raw.calibration ?? {}), ...Object.fromEntries([...backends].map((b) => [b, inside])) };
  } else {
    say(
      `--mark: ${calibrationDir} is outside the checkout; the suite's "calibration" for ${[...backends].join(', ')} ` +
        `stays ${JSON.stringify(raw.calibration)}: commit the summary where it points (${pairs} pairs judged)`,
    );
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(raw, null, 2) + '\n');
  fs.renameSync(tmp, file);
  return file;
}
