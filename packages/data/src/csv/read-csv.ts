/**
 * readCsvDataset: a CSV of `label` + D feature columns → X [N, D], y [N].
 * Picks the reader (parallel workers for large files, one stream otherwise), reads the class-names
 * sidecar, and goes through the binary cache when asked to.
 */

import { availableParallelism } from 'node:os';
import { WriteError } from '@backprop-lab/fs-atomic';
import { type DType, isDType, Tensor } from '@backprop-lab/tensor';
import { cacheFilePath, fingerprint, loadCache, sameStat, saveCache } from '../cache.js';
import type { SourceFingerprint } from '../cache-check.js';
import { readClassNames } from '../class-names.js';
import { checkCount, checkOptionKeys, DataError } from '../errors.js';
import { readHeader } from './header.js';
import { readRowsParallel } from './read-parallel.js';
import { type DecodedRows, readRowsSequential } from './read-sequential.js';
import type { RowLayout } from './row-decoder.js';

export interface ReadCsvOptions {
  /** Element type of X. Default 'float64' (the tensor default). */
  dtype?: DType;
  /** Read only the first maxRows data rows (the rest of the file is not read). */
  maxRows?: number;
  /** Name of the label column. Default 'label'. */
  labelColumn?: string;
  /** Allowed [min, max] of every feature value, inclusive, e.g. [0, 255]. */
  featureRange?: [number, number];
  /** Declared number of classes: every label must be in 0..numClasses-1. */
  numClasses?: number;
  /** true: cache in `.cache/` next to the CSV; a string: in that folder; false (default): no cache. */
  cache?: boolean | string;
  /**
   * Called with a one-line message when a cache file is ignored because it fails a check (a damaged or
   * crafted file; it is then replaced), or cannot be written. Default: `process.emitWarning`.
   */
  onWarning?: (message: string) => void;
  /**
   * Worker threads: 'auto' (default) uses one per core for files of 32 MB or more read whole; 0 parses in
   * this thread; n > 0 forces n workers.
   */
  workers?: number | 'auto';
}

export interface CsvDataset {
  /** Features [N, D], in file column order without the label column. */
  X: Tensor;
  /** Labels [N], each in 0..numClasses-1. */
  y: Int32Array;
  featureNames: string[];
  /** Declared, else the sidecar's class count, else max label + 1. */
  numClasses: number;
  classNames?: string[];
  /** True when the arrays came from the binary cache rather than from parsing. */
  fromCache: boolean;
  cacheFile?: string;
}

const OPTION_KEYS = [
  'dtype',
  'maxRows',
  'labelColumn',
  'featureRange',
  'numClasses',
  'cache',
  'workers',
  'onWarning',
] as const;
const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
const FN = 'readCsvDataset';

interface CheckedOptions {
  dtype: DType;
  maxRows?: number;
  labelColumn: string;
  featureRange?: [number, number];
  numClasses?: number;
  cache: false | true | string;
  workers: number | 'auto';
  onWarning: (message: string) => void;
}

export async function readCsvDataset(path: string, options: ReadCsvOptions = {}): Promise<CsvDataset> {
  if (typeof path !== 'string' || path === '')
    throw new TypeError(`${FN}: path must be a non-empty string, got ${String(path)}`);
  const checked = checkOptions(options);
  const classNames = await readClassNames(path);
  if (classNames && checked.numClasses !== undefined && checked.numClasses !== classNames.length) {
    throw new RangeError(
      `${FN}: numClasses is ${checked.numClasses} but the class-names file of ${path} names ${classNames.length} classes`,
    );
  }
  const outputOptions = {
    dtype: checked.dtype,
    maxRows: checked.maxRows ?? null,
    labelColumn: checked.labelColumn,
    featureRange: checked.featureRange ?? null,
    numClasses: checked.numClasses ?? null,
  };
  const header = await readHeader(path, checked.labelColumn);
  let cacheFile: string | undefined;
  let source: SourceFingerprint | undefined;
  if (checked.cache !== false) {
    cacheFile = cacheFilePath(path, checked.cache, outputOptions);
    source = await fingerprint(path);
    const expected = { ...checked, featureNames: header.featureNames, classNames };
    const lookup = await loadCache(cacheFile, source, outputOptions, expected);
    if (!lookup.hit && lookup.warning) checked.onWarning(lookup.warning);
    const hit = lookup.hit;
    if (hit) {
      const { X, y, rows, featureNames, numClasses } = hit;
      return {
        X: new Tensor(X, [rows, featureNames.length]),
        y,
        featureNames,
        numClasses,
        ...(hit.classNames ? { classNames: hit.classNames } : {}),
        fromCache: true,
        cacheFile,
      };
    }
  }

  const layout: RowLayout = {
    file: path,
    columnNames: header.columnNames,
    labelIndex: header.labelIndex,
    featureRange: checked.featureRange,
    numClasses: checked.numClasses ?? classNames?.length,
    float32: checked.dtype === 'float32',
  };
  const workers = chooseWorkers(checked, header.fileSize - header.dataStart);
  const decoded: DecodedRows =
    workers > 0
      ? await readRowsParallel(header, layout, checked.dtype, workers, checked.maxRows)
      : await readRowsSequential(header, layout, checked.dtype, checked.maxRows);
  if (decoded.rows === 0) throw new DataError(path, 2, 1, 'the header has no data rows after it');

  const numClasses = layout.numClasses ?? decoded.maxLabel + 1;
  const features = header.featureNames.length;
  const result: CsvDataset = {
    X: new Tensor(decoded.X, [decoded.rows, features]),
    y: decoded.y,
    featureNames: header.featureNames,
    numClasses,
    ...(classNames ? { classNames } : {}),
    fromCache: false,
    ...(cacheFile ? { cacheFile } : {}),
  };
  // A CSV rewritten while it was parsed may have given mixed rows: keep them out of the cache.
  if (cacheFile && source && (await sameStat(path, source))) {
    const cached = {
      X: decoded.X,
      y: decoded.y,
      rows: decoded.rows,
      featureNames: header.featureNames,
      numClasses,
      classNames,
    };
    try {
      await saveCache(cacheFile, source, outputOptions, cached, checked.dtype);
    } catch (error) {
      // The data was read: a cache that cannot be written (a read-only folder, a full disk) costs the
      // next load a parse, which is no reason to fail this one.
      if (!(error instanceof WriteError)) throw error;
      checked.onWarning(`${error.message}; the data is read, but not cached`);
    }
  }
  return result;
}

function chooseWorkers(options: CheckedOptions, dataBytes: number): number {
  if (options.workers !== 'auto') return options.workers;
  const cores = availableParallelism();
  if (cores < 2 || options.maxRows !== undefined || dataBytes < PARALLEL_MIN_BYTES) return 0;
  return Math.min(cores, 16);
}

function checkOptions(options: ReadCsvOptions): CheckedOptions {
  checkOptionKeys(FN, options, OPTION_KEYS);
  const {
    dtype = 'float64',
    maxRows,
    labelColumn = 'label',
    featureRange,
    numClasses,
    cache = false,
    workers = 'auto',
    onWarning = (message: string) => process.emitWarning(message, 'CacheWarning'),
  } = options;
  if (!isDType(dtype))
    throw new TypeError(`${FN}: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  if (maxRows !== undefined) checkCount(FN, 'maxRows', maxRows, 1);
  if (typeof labelColumn !== 'string' || labelColumn === '') {
    throw new TypeError(`${FN}: labelColumn must be a non-empty string, got ${String(labelColumn)}`);
  }
  if (featureRange !== undefined) {
    const valid =
      Array.isArray(featureRange) &&
      featureRange.length === 2 &&
      featureRange.every((v) => typeof v === 'number' && !Number.isNaN(v)) &&
      featureRange[0] <= featureRange[1];
    if (!valid)
      throw new RangeError(
        `${FN}: featureRange must be [min, max] with min <= max, got ${JSON.stringify(featureRange)}`,
      );
  }
  if (numClasses !== undefined) checkCount(FN, 'numClasses', numClasses, 1);
  if (typeof cache !== 'boolean' && (typeof cache !== 'string' || cache === '')) {
    throw new TypeError(`${FN}: cache must be true, false or a folder path, got ${String(cache)}`);
  }
  if (workers !== 'auto') checkCount(FN, 'workers', workers, 0);
  if (typeof onWarning !== 'function')
    throw new TypeError(`${FN}: onWarning must be a function, got ${typeof onWarning}`);
  return { dtype, maxRows, labelColumn, featureRange, numClasses, cache, workers, onWarning };
}
