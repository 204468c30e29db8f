/**
 * Turns one tokenized CSV record into a row of X and a label in y, validating every field. The same
 * code runs in the main thread (sequential reader) and in each worker (parallel reader), so both report
 * the same error for the same file.
 */
import type { TypedArray } from '@backprop-lab/tensor';
import { DataError, quoteValue } from '../errors.js';
import { parseDecimal } from './number.js';

/** What a decoder needs to know about the file: everything is plain data, so it crosses to workers. */
export interface RowLayout {
  /** The path used in error messages. */
  file: string;
  /** Every header name, label column included. */
  columnNames: string[];
  labelIndex: number;
  /** Allowed [min, max] of every feature value, both inclusive. */
  featureRange?: [number, number];
  /** Labels must be < this (declared, or the number of class names in the sidecar). */
  numClasses?: number;
  /** X is a Float32Array: a value beyond its range would be stored as Infinity. */
  float32?: boolean;
}

const FLOAT32_MAX = 3.4028234663852886e38;

export class RowDecoder {
  readonly features: number;
  /** Largest label seen so far (-1 before the first row): numClasses is this + 1 when not declared. */
  maxLabel = -1;
  private readonly layout: RowLayout;
  private readonly columns: number;
  private readonly low: number;
  private readonly high: number;

  constructor(layout: RowLayout) {
    this.layout = layout;
    this.columns = layout.columnNames.length;
    this.features = this.columns - 1;
    const limit = layout.float32 ? FLOAT32_MAX : Number.POSITIVE_INFINITY;
    this.low = Math.max(-limit, layout.featureRange ? layout.featureRange[0] : -limit);
    this.high = Math.min(limit, layout.featureRange ? layout.featureRange[1] : limit);
  }

  /** Writes `record` into row `row` of X (row-major, D per row) and y; throws a DataError at the first fault. */
  decode(record: string[], line: number, X: TypedArray, y: Int32Array, row: number): void {
    const columns = this.columns;
    if (record.length !== columns) this.fieldCountError(record.length, line);
    const labelIndex = this.layout.labelIndex;
    let offset = row * this.features;
    // Two loops around the label column keep the inner loop free of a per-field branch.
    for (let j = 0; j < labelIndex; j++) X[offset++] = this.feature(record[j], line, j);
    for (let j = labelIndex + 1; j < columns; j++) X[offset++] = this.feature(record[j], line, j);
    y[row] = this.label(record[labelIndex], line);
  }

  private feature(text: string, line: number, index: number): number {
    const value = parseDecimal(text);
    // NaN fails both comparisons, so one test catches a bad number and an out-of-range one.
    if (value >= this.low && value <= this.high) return value;
    throw this.valueError(text, value, line, index);
  }

  private label(text: string, line: number): number {
    const index = this.layout.labelIndex;
    const value = parseDecimal(text);
    if (text === '') throw this.error(line, index, 'the label is empty');
    if (!Number.isInteger(value))
      throw this.error(line, index, `label ${quoteValue(text)} is not an integer`);
    const limit = this.layout.numClasses;
    if (value < 0 || (limit !== undefined && value >= limit)) {
      const allowed =
        limit === undefined
          ? 'labels must be >= 0'
          : `labels must be in 0..${limit - 1} (numClasses ${limit})`;
      throw this.error(line, index, `label ${value} is out of range: ${allowed}`);
    }
    if (value > 2147483647) throw this.error(line, index, `label ${value} does not fit in an Int32Array`);
    if (value > this.maxLabel) this.maxLabel = value;
    return value;
  }

  private valueError(text: string, value: number, line: number, index: number): DataError {
    if (text === '') return this.error(line, index, 'the value is empty');
    if (Number.isNaN(value)) return this.error(line, index, `${quoteValue(text)} is not a number`);
    const range = this.layout.featureRange;
    if (range && (value < range[0] || value > range[1]))
      return this.error(line, index, `value ${text} is outside featureRange [${range[0]}, ${range[1]}]`);
    return this.error(line, index, `value ${text} does not fit in float32 (use dtype float64)`);
  }

  private fieldCountError(found: number, line: number): never {
    const columns = this.columns;
    // The column is where the first missing or the first extra field sits.
    const column = Math.min(found, columns) + 1;
    const detail = `the row has ${found} field${found === 1 ? '' : 's'} but the header has ${columns}`;
    throw new DataError(this.layout.file, line, column, detail, this.layout.columnNames[column - 1]);
  }

  private error(line: number, index: number, detail: string): DataError {
    return new DataError(this.layout.file, line, index + 1, detail, this.layout.columnNames[index]);
  }
}
