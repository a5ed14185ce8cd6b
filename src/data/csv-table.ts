// Reads a user's labelled CSV into a Dataset, refusing anything malformed with an error that names
// the file, the line and column, the rule broken and the fix. Nothing is guessed or skipped.
import fs from 'node:fs';
import type { Dataset } from '../types.js';

export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

export interface CsvOptions {
  /** Label column name; default the last column. */
  readonly label?: string;
  /** Every column is a feature (generative models); y is all zeros. */
  readonly unlabelled?: boolean;
}

function splitLine(line: string): string[] {
  return line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
}

export function readLabelledCsv(file: string, options: CsvOptions = {}): Dataset {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)}); check the path`);
  }
  return parseLabelledCsv(text, file, options);
}

export function parseLabelledCsv(text: string, file: string, options: CsvOptions = {}): Dataset {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new DataError(`${file}: the file is empty; expected a header row and at least two data rows`);
  const header = splitLine(lines[0]);
  if (options.unlabelled) return parseFeatureRows(lines, header, file);
  if (header.length < 2) {
    throw new DataError(`${file}: line 1 (header) has ${header.length} column; expected at least one feature column and a label column, separated by commas`);
  }
  const labelIndex = options.label === undefined ? header.length - 1 : header.indexOf(options.label);
  if (labelIndex < 0) {
    throw new DataError(`${file}: no column named '${options.label}' in the header (columns: ${header.join(', ')}); pass --label with one of them`);
  }
  const rows = lines.length - 1;
  if (rows === 0) throw new DataError(`${file}: the file has a header but no data rows`);
  const cols = header.length - 1;
  const x = new Float64Array(rows * cols);
  const raw = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const lineNo = r + 2;
    const cells = splitLine(lines[r + 1]);
    if (cells.length !== header.length) {
      throw new DataError(`${file}: line ${lineNo} has ${cells.length} cells but the header has ${header.length}; every row needs one value per column (ragged rows are not allowed)`);
    }
    let c = 0;
    for (let k = 0; k < cells.length; k++) {
      const value = parseCell(cells[k], file, lineNo, header[k]);
      if (k === labelIndex) raw[r] = value;
      else x[r * cols + c++] = value;
    }
  }
  return {
    name: file,
    rows,
    cols,
    x,
    y: toZeroOne(raw, file, header[labelIndex]),
    featureNames: header.filter((_, k) => k !== labelIndex),
  };
}

function parseFeatureRows(lines: string[], header: string[], file: string): Dataset {
  const rows = lines.length - 1;
  if (rows === 0) throw new DataError(`${file}: the file has a header but no data rows`);
  const cols = header.length;
  const x = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const lineNo = r + 2;
    const cells = splitLine(lines[r + 1]);
    if (cells.length !== cols) {
      throw new DataError(`${file}: line ${lineNo} has ${cells.length} cells but the header has ${cols}; every row needs one value per column (ragged rows are not allowed)`);
    }
    for (let k = 0; k < cols; k++) x[r * cols + k] = parseCell(cells[k], file, lineNo, header[k]);
  }
  return { name: file, rows, cols, x, y: new Float64Array(rows), featureNames: header };
}

function parseCell(cell: string, file: string, lineNo: number, column: string): number {
  const value = cell === '' ? NaN : Number(cell);
  if (cell === '' || Number.isNaN(value)) {
    throw new DataError(`${file}: line ${lineNo}, column '${column}': '${cell}' is not a number; every cell must be a finite number (fill or drop missing values first)`);
  }
  if (!Number.isFinite(value)) {
    throw new DataError(`${file}: line ${lineNo}, column '${column}': '${cell}' is not finite; every cell must be a finite number`);
  }
  return value;
}

/** Labels 0/1 stay; -1/+1 map to 0/1; anything else, or a single class, is refused. */
function toZeroOne(raw: Float64Array, file: string, column: string): Float64Array {
  const values = new Set(raw);
  const ok = [...values].every((v) => v === 0 || v === 1) || [...values].every((v) => v === -1 || v === 1);
  if (!ok) {
    const rowIndex = raw.findIndex((v) => v !== 0 && v !== 1 && v !== -1);
    const where = rowIndex >= 0 ? `line ${rowIndex + 2} has ${raw[rowIndex]}` : 'it mixes 0 and -1';
    throw new DataError(`${file}: label column '${column}': ${where}; labels must be 0/1 or -1/+1 (recode the classes, or name the label column with --label)`);
  }
  if (values.size < 2) {
    throw new DataError(`${file}: label column '${column}' holds a single class (${[...values][0]}); a binary classifier needs both classes`);
  }
  return Float64Array.from(raw, (v) => (v === 1 ? 1 : 0));
}
