/**
 * Errors and option checks shared by the whole package.
 *
 * A `DataError` is a fault in a data file; its message names the file, the line and the column, e.g.
 * `train.csv, line 7, column 3 (p1): "abc" is not a number`. Columns count fields from 1 (not
 * characters): in a 3073-column file the field number and its header name are what a person can find.
 * Mistakes in arguments (an unknown option, a bad value) are TypeError / RangeError naming the function,
 * the argument and the value.
 */
import { printable } from '@backprop-lab/fs-atomic';

export class DataError extends Error {
  override name = 'DataError';
  readonly file: string;
  /**
   * 1-based line of the text file (for binary files: the 1-based record); 0 for a fault of the file as a
   * whole (missing, a folder, a pipe, unreadable), whose message is then `<file>: <detail>`.
   */
  readonly line: number;
  /** 1-based field number (for binary files: the 1-based byte within the record). */
  readonly column: number;
  /** The header name of the column, when the file has one. */
  readonly columnName?: string;
  /** The message without the location prefix. */
  readonly detail: string;

  constructor(file: string, line: number, column: number, detail: string, columnName?: string) {
    // Names come from the file (or a directory listing): a crafted one must not drive the terminal.
    const where =
      columnName === undefined ? `column ${column}` : `column ${column} (${printable(columnName)})`;
    super(
      line === 0 ? `${printable(file)}: ${detail}` : `${printable(file)}, line ${line}, ${where}: ${detail}`,
    );
    this.file = file;
    this.line = line;
    this.column = column;
    this.columnName = columnName;
    this.detail = detail;
  }
}

/** Plain fields of a DataError, so a worker thread can send one back to the main thread. */
export interface DataErrorRecord {
  file: string;
  line: number;
  column: number;
  detail: string;
  columnName?: string;
}

export function toDataErrorRecord(error: DataError): DataErrorRecord {
  const { file, line, column, detail, columnName } = error;
  return { file, line, column, detail, columnName };
}

export function fromDataErrorRecord(record: DataErrorRecord): DataError {
  return new DataError(record.file, record.line, record.column, record.detail, record.columnName);
}

/** Throws a TypeError naming the function and the unknown keys (typos must not pass silently). */
export function checkOptionKeys(fn: string, options: object | undefined, allowed: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(
      `${fn}: options must be an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
  const unknown = Object.keys(options).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    const list = unknown.map((key) => `'${key}'`).join(', ');
    throw new TypeError(`${fn}: unknown option ${list} (known: ${allowed.join(', ')})`);
  }
}

/** A non-negative integer option, e.g. `maxRows`. */
export function checkCount(fn: string, name: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${fn}: ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Quotes a value found in a file for an error message, escaped and cut short when it is long. */
export function quoteValue(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
  return printable(JSON.stringify(shown));
}
