/**
 * What a cache file must pass before its arrays come back as data: it is input like the CSV, and a
 * crafted one could otherwise hand back labels beyond the class count, NaN features, or a dtype or shape
 * other than the one requested. Each check returns the reason for the warning, or null when it passes.
 */
import type { DType, TypedArray } from '@backprop-lab/tensor';
import { quoteValue } from './errors.js';

/** What the cache remembers of its CSV, to tell a stale cache from a current one. */
export interface SourceFingerprint {
  size: number;
  /** Nanosecond times, device and inode, as decimal strings (they exceed 2^53). */
  mtimeNs: string;
  ctimeNs: string;
  dev: string;
  ino: string;
  /** SHA-1 of the first and last 64 KiB. */
  sample: string;
  /** SHA-1 of the class-names sidecar, or null without one. */
  classNames: string | null;
}

/** The JSON line that opens a cache file, before the binary body. */
export interface CacheHeader {
  source: SourceFingerprint;
  options: Record<string, unknown>;
  dtype: DType;
  rows: number;
  featureNames: string[];
  numClasses: number;
  classNames?: string[];
}

/** What the caller knows without the cache: the request, and the CSV's header and sidecar as read now. */
export interface CacheExpectation {
  dtype: DType;
  featureNames: string[];
  classNames?: string[];
  /** Declared class count, if any. */
  numClasses?: number;
  maxRows?: number;
  featureRange?: [number, number];
}

/** Checks the header against the request, the CSV as it is now, and the size of the body. */
export function checkHeader(
  header: CacheHeader,
  options: Record<string, unknown>,
  expected: CacheExpectation,
  bodyStart: number,
  fileSize: number,
): string | null {
  if (header === null || typeof header !== 'object') return 'the header is not an object';
  if (JSON.stringify(header.options) !== JSON.stringify(options))
    return 'its options are not the ones requested';
  if (header.dtype !== expected.dtype)
    return `dtype ${quoteValue(String(header.dtype))}, requested ${expected.dtype}`;
  const { rows, numClasses, featureNames, classNames } = header;
  if (!Number.isSafeInteger(rows) || rows < 1) return `rows ${quoteValue(String(rows))} is not a count >= 1`;
  if (expected.maxRows !== undefined && rows > expected.maxRows)
    return `${rows} rows, more than maxRows ${expected.maxRows}`;
  if (JSON.stringify(featureNames) !== JSON.stringify(expected.featureNames))
    return "its feature names are not the CSV header's";
  if (!Number.isSafeInteger(numClasses) || numClasses < 1 || numClasses > 2 ** 31)
    return `numClasses ${quoteValue(String(numClasses))} is not a count >= 1`;
  const declared = expected.numClasses ?? expected.classNames?.length;
  if (declared !== undefined && numClasses !== declared)
    return `numClasses ${numClasses}, expected ${declared}`;
  if (JSON.stringify(classNames ?? null) !== JSON.stringify(expected.classNames ?? null))
    return "its class names are not the sidecar's";
  const elementBytes = expected.dtype === 'float32' ? 4 : 8;
  const bodyBytes = rows * featureNames.length * elementBytes + rows * 4;
  if (bodyStart + bodyBytes !== fileSize)
    return `${fileSize} bytes, but ${rows} rows of ${featureNames.length} ${expected.dtype} features and a label take ${bodyStart + bodyBytes}`;
  return null;
}

/**
 * Every label in 0..numClasses-1, every feature finite (and within featureRange when one is given). A
 * class count that was not declared is the largest label + 1, as the reader derives it.
 */
export function checkValues(
  X: TypedArray,
  y: Int32Array,
  numClasses: number,
  expected: CacheExpectation,
): string | null {
  let maxLabel = -1;
  for (let i = 0; i < y.length; i++) {
    const label = y[i];
    if (label < 0 || label >= numClasses)
      return `label ${label} at row ${i + 1} is outside 0..${numClasses - 1}`;
    if (label > maxLabel) maxLabel = label;
  }
  const declared = expected.numClasses ?? expected.classNames?.length;
  if (declared === undefined && numClasses !== maxLabel + 1)
    return `numClasses ${numClasses}, but the largest label is ${maxLabel}`;
  const { featureRange } = expected;
  const low = featureRange ? featureRange[0] : -Number.MAX_VALUE;
  const high = featureRange ? featureRange[1] : Number.MAX_VALUE;
  const features = y.length === 0 ? 0 : X.length / y.length;
  for (let i = 0; i < X.length; i++) {
    const value = X[i];
    // NaN fails both comparisons; ±Infinity lies outside ±MAX_VALUE.
    if (!(value >= low && value <= high)) {
      const where = `row ${Math.floor(i / features) + 1}, feature ${(i % features) + 1}`;
      return Number.isFinite(value)
        ? `value ${value} at ${where} is outside featureRange [${low}, ${high}]`
        : `non-finite value ${value} at ${where}`;
    }
  }
  return null;
}
