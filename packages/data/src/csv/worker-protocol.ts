/** Messages between the parallel reader (main thread) and its csv workers: plain, structured-cloneable data. */
import type { DType } from '@backprop-lab/tensor';
import type { DataErrorRecord } from '../errors.js';
import type { LineCount } from './line-scan.js';
import type { ByteRange } from './read-range.js';
import type { RowLayout } from './row-decoder.js';

export interface CountJob {
  kind: 'count';
  path: string;
  start: number;
  end: number;
}

export interface ParseJob {
  kind: 'parse';
  range: ByteRange;
  layout: RowLayout;
  dtype: DType;
  /** The whole output X [N, D] and y [N], shared by every worker; this one writes rows firstRow.. */
  X: SharedArrayBuffer;
  y: SharedArrayBuffer;
  firstRow: number;
  /** Rows to decode before stopping: the range's row count, or fewer when maxRows cuts it. */
  rowLimit: number;
}

export type WorkerJob = CountJob | ParseJob;

export type WorkerReply =
  | { kind: 'counted'; count: LineCount }
  | { kind: 'parsed'; rows: number; maxLabel: number }
  | { kind: 'data-error'; error: DataErrorRecord }
  | { kind: 'failure'; message: string };
