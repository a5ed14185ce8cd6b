// Reads a user's labelled CSV into a Dataset, refusing anything malformed with an error that names
// the file, the line and column, the rule broken and the fix. Nothing is guessed or skipped.
// The file is read in chunks and parsed by csv-parse (quoted fields, "1,5" included) a batch of
// whole records at a time, so its size is bounded by memory for the numbers, not by V8's string length.
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Dataset } from '../types.js';
import { DataError } from '../errors.js';

export interface CsvOptions {
  /** Label column name; default the last column. */
  readonly label?: string;
  /** Every column is a feature (generative models); y is all zeros. */
  readonly unlabelled?: boolean;
}

/** Bytes read from the file at a time. */
const CHUNK_BYTES = 8 * 2 ** 20;
/** A plain decimal number: the only form a cell may take (no hex, octal, binary or separators). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NOT_FINITE = /^[+-]?(inf|infinity)$/i;

/** Splits text into the part that ends with a complete record and the rest (a newline outside quotes). */
function completeRecords(text: string, final: boolean): [string, string] {
  if (final) return [text, ''];
  let inQuotes = false;
  let cut = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (c === 10 && !inQuotes) cut = i;
  }
  return cut < 0 ? ['', text] : [text.slice(0, cut + 1), text.slice(cut + 1)];
}

/** Whole records of a CSV source, each with its line number, a batch at a time. */
function* records(chunks: Iterable<string>, file: string): Generator<{ cells: string[]; line: number }> {
  let rest = '';
  let lineOffset = 0;
  for (const [chunk, final] of chunksWithEnd(chunks)) {
    const [batch, remainder] = completeRecords(rest + chunk, final);
    rest = remainder;
    if (!batch) continue;
    let parsed: { record: string[]; info: { lines: number } }[];
    try {
      parsed = parse(batch, {
        info: true,
        relax_column_count: true,
        trim: true,
        skip_empty_lines: true,
        bom: lineOffset === 0,
      }) as unknown as typeof parsed;
    } catch (e) {
      const line =
        e && typeof e === 'object' && 'lines' in e
          ? lineOffset + Number((e as { lines: number }).lines)
          : lineOffset + 1;
      throw new DataError(
        `${file}: line ${line}: not valid CSV (` +
          `${e instanceof Error ? e.message.replace(/^Invalid [^:]*: /, '') : String(e)}` +
          `); quote a field that holds a comma, a quote or a newline`,
      );
    }
    for (const { record, info } of parsed) yield { cells: record, line: lineOffset + info.lines };
    lineOffset += (batch.match(/\n/g) ?? []).length;
  }
}

function* chunksWithEnd(chunks: Iterable<string>): Generator<[string, boolean]> {
  let previous: string | undefined;
  for (const c of chunks) {
    if (previous !== undefined) yield [previous, false];
    previous = c;
  }
  yield [previous ?? '', true];
}

function* fileChunks(file: string): Generator<string> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new DataError(
      `${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)}); check the path`,
    );
  }
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    const decoder = new TextDecoder('utf-8');
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      yield decoder.decode(buffer.subarray(0, n), { stream: true });
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  } finally {
    fs.closeSync(fd);
  }
}

export function readLabelledCsv(file: string, options: CsvOptions = {}): Dataset {
  try {
    if (fs.statSync(file).isDirectory())
      throw new DataError(`${file}: is a folder, not a CSV file; give the file's path`);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(
      `${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)}); check the path`,
    );
  }
  return readTable(fileChunks(file), file, options);
}

export function parseLabelledCsv(text: string, file: string, options: CsvOptions = {}): Dataset {
  return readTable([text], file, options);
}

/** A Float64Array that grows as rows arrive (the row count is known only at the end). */
class Column {
  private data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  values(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

function checkHeader(header: string[], file: string): void {
  const first = new Map<string, number>();
  header.forEach((name, k) => {
    if (name === '') throw new DataError(`${file}: line 1 (header), column ${k + 1} has no name; name every column`);
    const seen = first.get(name);
    if (seen !== undefined)
      throw new DataError(
        `${file}: line 1 (header) names column '${name}' twice (columns ` +
          `${seen + 1} and ${k + 1}); give every column a distinct name`,
      );
    first.set(name, k);
  });
}

function readTable(chunks: Iterable<string>, file: string, options: CsvOptions): Dataset {
  const it = records(chunks, file);
  const first = it.next();
  if (first.done) throw new DataError(`${file}: the file is empty; expected a header row and at least two data rows`);
  const header = first.value.cells;
  checkHeader(header, file);
  if (!options.unlabelled && header.length < 2) {
    throw new DataError(
      `${file}: line 1 (header) has ${header.length} column; expected at ` +
        `least one feature column and a label column, separated by commas`,
    );
  }
  const labelIndex = options.unlabelled
    ? -1
    : options.label === undefined
      ? header.length - 1
      : header.indexOf(options.label);
  if (labelIndex < 0 && !options.unlabelled) {
    throw new DataError(
      `${file}: no column named '${options.label}' in the header (columns: ` +
        `${header.join(', ')}); pass --label with one of them`,
    );
  }
  const x = new Column();
  const labels = new Column();
  let rows = 0;
  for (const { cells, line } of it) {
    if (cells.length !== header.length) {
      throw new DataError(
        `${file}: line ${line} has ${cells.length} cells but the header has ` +
          `${header.length}; every row needs one value per column (ragged rows ` +
          `are not allowed)`,
      );
    }
    for (let k = 0; k < cells.length; k++) {
      const value = parseCell(cells[k], file, line, header[k]);
      if (k === labelIndex) labels.push(value);
      else x.push(value);
    }
    rows++;
  }
  if (rows === 0) throw new DataError(`${file}: the file has a header but no data rows`);
  const cols = header.length - (options.unlabelled ? 0 : 1);
  return {
    name: file,
    rows,
    cols,
    x: x.values(),
    y: options.unlabelled ? new Float64Array(rows) : toZeroOne(labels.values(), file, header[labelIndex]),
    featureNames: header.filter((_, k) => k !== labelIndex),
  };
}

function parseCell(cell: string, file: string, lineNo: number, column: string): number {
  if (NOT_FINITE.test(cell))
    throw new DataError(
      `${file}: line ${lineNo}, column '${column}': '${cell}' is not finite; every cell must be a finite number`,
    );
  if (!DECIMAL.test(cell)) {
    throw new DataError(
      `${file}: line ${lineNo}, column '${column}': '${cell}' is not a ` +
        `number; every cell must be a finite decimal number such as 1.5 or ` +
        `-2e-3 (fill or drop missing values first; hex and other forms are ` +
        `refused)`,
    );
  }
  const value = Number(cell);
  if (!Number.isFinite(value))
    throw new DataError(
      `${file}: line ${lineNo}, column '${column}': '${cell}' is not finite in double precision; rescale the column`,
    );
  return value;
}

/** Labels 0/1 stay; -1/+1 map to 0/1; anything else, or a single class, is refused. */
function toZeroOne(raw: Float64Array, file: string, column: string): Float64Array {
  const values = new Set(raw);
  const ok = [...values].every((v) => v === 0 || v === 1) || [...values].every((v) => v === -1 || v === 1);
  if (!ok) {
    const rowIndex = raw.findIndex((v) => v !== 0 && v !== 1 && v !== -1);
    const where = rowIndex >= 0 ? `line ${rowIndex + 2} has ${raw[rowIndex]}` : 'it mixes 0 and -1';
    throw new DataError(
      `${file}: label column '${column}': ${where}; labels must be 0/1 or ` +
        `-1/+1 (recode the classes, or name the label column with --label)`,
    );
  }
  if (values.size < 2) {
    throw new DataError(
      `${file}: label column '${column}' holds a single class (` +
        `${[...values][0]}); a binary classifier needs both classes`,
    );
  }
  return Float64Array.from(raw, (v) => (v === 1 ? 1 : 0));
}
