/**
 * The sequential reader: one csv-parse stream over the data part of the file, in this thread. Used for
 * small files, for `maxRows` prefixes (it stops reading as soon as it has them) and with `workers: 0`.
 * The output arrays grow geometrically; once rows are coming in, capacity jumps to an estimate of the
 * whole file from the bytes read so far, so a large file is rarely copied more than once.
 */
import { allocate, type DType, type TypedArray } from '@backprop-lab/tensor';
import type { CsvHeader } from './header.js';
import { parseRange } from './read-range.js';
import { RowDecoder, type RowLayout } from './row-decoder.js';

export interface DecodedRows {
  /** Exactly rows × D values. */
  X: TypedArray;
  y: Int32Array;
  rows: number;
  maxLabel: number;
}

const FIRST_CAPACITY = 256;
/** Unused capacity kept at the end (as a view, not copied away) when it is this small a fraction. */
const SLACK_KEPT = 0.05;

export async function readRowsSequential(
  header: CsvHeader,
  layout: RowLayout,
  dtype: DType,
  maxRows: number | undefined,
): Promise<DecodedRows> {
  const features = header.columnNames.length - 1;
  const dataBytes = header.fileSize - header.dataStart;
  const cap = maxRows ?? Number.POSITIVE_INFINITY;
  let capacity = Math.min(cap, FIRST_CAPACITY);
  let X = allocate(dtype, capacity * features);
  let y = new Int32Array(capacity);
  let rows = 0;
  const decoder = new RowDecoder(layout);

  const grow = (bytesRead: number) => {
    const estimate = Math.ceil(((rows * dataBytes) / Math.max(1, bytesRead)) * 1.02);
    capacity = Math.min(cap, Math.max(Math.ceil(capacity * 1.25), estimate));
    const nextX = allocate(dtype, capacity * features);
    nextX.set(X.subarray(0, rows * features));
    const nextY = new Int32Array(capacity);
    nextY.set(y.subarray(0, rows));
    X = nextX;
    y = nextY;
  };

  const range = { path: layout.file, start: header.dataStart, end: header.fileSize, firstLine: 2 };
  await parseRange(range, (fields, line, bytesRead) => {
    if (rows === capacity) grow(bytesRead);
    decoder.decode(fields, line, X, y, rows);
    rows++;
    return rows < cap;
  });

  if (rows < capacity) {
    const keep = capacity - rows <= capacity * SLACK_KEPT;
    X = keep ? X.subarray(0, rows * features) : X.slice(0, rows * features);
    y = keep ? y.subarray(0, rows) : y.slice(0, rows);
  }
  return { X, y, rows, maxLabel: decoder.maxLabel };
}
