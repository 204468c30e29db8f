/**
 * The binary cache of a parsed CSV: `<cache folder>/<csv name>.<key>.bin`, where the key hashes the CSV's
 * absolute path and every option that changes the output (dtype, labelColumn, featureRange, numClasses,
 * maxRows). Layout, little-endian:
 *   8 bytes magic `BPLDATA1` | u32 header length | header JSON | zero padding to a multiple of 8 |
 *   X as float32/float64 [N·D] | y as int32 [N]
 *
 * Staleness. The header records a fingerprint of the CSV: size, mtime and ctime (nanoseconds), device and
 * inode, a SHA-1 of its first and last 64 KiB, and a SHA-1 of the class-names sidecar; any difference is
 * a silent miss and the next write replaces the file. `touch -d` can put an mtime back after an edit, but
 * every write and every `utimes` sets ctime to the current time, and only a change of the system clock
 * (root) sets it back; replacing the file by another changes the inode. What stays possible: an edit on
 * a file system that does not keep ctime (some FUSE and network mounts), by root, or one landing in the
 * same clock tick (a few ms) as the fingerprint taken before the parse; the head/tail hash still catches
 * those when they touch the first or last 64 KiB.
 *
 * The cache is input, not trusted: anyone who can write the folder can plant a file. See cache-check.ts
 * for what a hit must pass before its arrays are returned.
 */

import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { type FileHandle, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { printable, writeFileAtomic } from '@backprop-lab/fs-atomic';
import { allocate, type DType, type TypedArray } from '@backprop-lab/tensor';
import {
  type CacheExpectation,
  type CacheHeader,
  checkHeader,
  checkValues,
  type SourceFingerprint,
} from './cache-check.js';
import { classNamesPath } from './class-names.js';
import { DataError } from './errors.js';
import { FileSystemError, openRegularFile, readTextFileIfAny } from './files.js';

const MAGIC = 'BPLDATA1';
const SAMPLE_BYTES = 1 << 16;
/** Reads and writes go in pieces below the 2 GiB limit of one fs call. */
const IO_PIECE = 1 << 30;

export interface CachedData {
  X: TypedArray;
  y: Int32Array;
  rows: number;
  featureNames: string[];
  numClasses: number;
  classNames?: string[];
}

/** A hit, or a miss with the reason to warn about (null: no cache yet, or a stale one: nothing to say). */
export type CacheLookup = { hit: CachedData } | { hit: undefined; warning: string | null };

export function cacheFilePath(
  csvPath: string,
  folder: string | true,
  options: Record<string, unknown>,
): string {
  const absolute = resolve(csvPath);
  const key = createHash('sha1')
    .update(JSON.stringify({ path: absolute, ...options }))
    .digest('hex')
    .slice(0, 16);
  const dir = folder === true ? join(dirname(absolute), '.cache') : resolve(folder);
  return join(dir, `${basename(absolute)}.${key}.bin`);
}

function statPart(stats: BigIntStats): Omit<SourceFingerprint, 'sample' | 'classNames'> {
  return {
    size: Number(stats.size),
    mtimeNs: String(stats.mtimeNs),
    ctimeNs: String(stats.ctimeNs),
    dev: String(stats.dev),
    ino: String(stats.ino),
  };
}

export async function fingerprint(csvPath: string): Promise<SourceFingerprint> {
  const handle = await openRegularFile(csvPath);
  try {
    const stats = statPart(await handle.stat({ bigint: true }));
    const { size } = stats;
    const hash = createHash('sha1');
    const head = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
    await readFully(handle, head, 0);
    hash.update(head);
    const tailStart = Math.max(head.length, size - SAMPLE_BYTES);
    const tail = Buffer.alloc(size - tailStart);
    await readFully(handle, tail, tailStart);
    hash.update(tail);
    const sidecar = await readTextFileIfAny(classNamesPath(csvPath), 'the class-names file');
    const classNames = sidecar === undefined ? null : createHash('sha1').update(sidecar).digest('hex');
    return { ...stats, sample: hash.digest('hex'), classNames };
  } finally {
    await handle.close();
  }
}

/** The cached arrays when `cacheFile` exists, matches `source` and `options`, and passes every check. */
export async function loadCache(
  cacheFile: string,
  source: SourceFingerprint,
  options: Record<string, unknown>,
  expected: CacheExpectation,
): Promise<CacheLookup> {
  if (endianness() !== 'LE') return { hit: undefined, warning: null };
  let handle: FileHandle;
  try {
    handle = await openRegularFile(cacheFile, 'a cache file');
  } catch (error) {
    // Nothing there (or no folder there): no cache yet, nothing to warn about.
    const absent = error instanceof FileSystemError && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
    if (absent) return { hit: undefined, warning: null };
    return rejected(cacheFile, error instanceof DataError ? error.detail : String(error));
  }
  try {
    const header = await readHeader(handle);
    if (typeof header === 'string') return rejected(cacheFile, header);
    if (JSON.stringify(header.json.source) !== JSON.stringify(source))
      return { hit: undefined, warning: null };
    const problem = checkHeader(header.json, options, expected, header.bodyStart, header.fileSize);
    if (problem) return rejected(cacheFile, problem);
    const { dtype, rows, featureNames, numClasses, classNames } = header.json;
    const X = allocate(dtype, rows * featureNames.length);
    const y = new Int32Array(rows);
    await readFully(handle, new Uint8Array(X.buffer), header.bodyStart);
    await readFully(handle, new Uint8Array(y.buffer), header.bodyStart + X.byteLength);
    const bad = checkValues(X, y, numClasses, expected);
    if (bad) return rejected(cacheFile, bad);
    return { hit: { X, y, rows, featureNames, numClasses, ...(classNames ? { classNames } : {}) } };
  } catch (error) {
    return rejected(cacheFile, `cannot be read (${(error as Error).message})`);
  } finally {
    await handle.close();
  }
}

function rejected(cacheFile: string, reason: string): CacheLookup {
  const warning = `${printable(cacheFile)}: ignoring the cache file (${reason}); the CSV is parsed and the cache replaced`;
  return { hit: undefined, warning };
}

/** The parsed header JSON and where the arrays start, or why the file is not a cache file. */
async function readHeader(
  handle: FileHandle,
): Promise<{ json: CacheHeader; bodyStart: number; fileSize: number } | string> {
  const { size } = await handle.stat();
  const prefix = Buffer.alloc(12);
  if (size < 12) return `${size} bytes, shorter than the 12-byte prefix`;
  await readFully(handle, prefix, 0);
  if (prefix.toString('latin1', 0, 8) !== MAGIC) return `no ${MAGIC} magic: not a backprop-lab cache file`;
  const headerLength = prefix.readUInt32LE(8);
  if (12 + headerLength > size) return `the header length ${headerLength} runs past the end of the file`;
  const headerBytes = Buffer.alloc(headerLength);
  await readFully(handle, headerBytes, 12);
  try {
    const json = JSON.parse(headerBytes.toString('utf8')) as CacheHeader;
    return { json, bodyStart: align8(12 + headerLength), fileSize: size };
  } catch {
    return 'the header is not valid JSON';
  }
}

export async function saveCache(
  cacheFile: string,
  source: SourceFingerprint,
  options: Record<string, unknown>,
  data: CachedData,
  dtype: DType,
): Promise<void> {
  if (endianness() !== 'LE') return;
  const { rows, featureNames, numClasses, classNames } = data;
  const header: CacheHeader = { source, options, dtype, rows, featureNames, numClasses, classNames };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, 8);
  const padding = Buffer.alloc(align8(12 + json.length) - 12 - json.length);
  const pieces: ArrayBufferView[] = [prefix, json, padding];
  for (const array of [data.X, data.y]) {
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let at = 0; at < bytes.length; at += IO_PIECE) pieces.push(bytes.subarray(at, at + IO_PIECE));
  }
  await writeFileAtomic(cacheFile, pieces);
}

/** Whether the CSV is still the file `source` was taken from (cheap: stat only). */
export async function sameStat(csvPath: string, source: SourceFingerprint): Promise<boolean> {
  const now = statPart(await stat(csvPath, { bigint: true }));
  return (Object.keys(now) as (keyof typeof now)[]).every((key) => now[key] === source[key]);
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

async function readFully(handle: FileHandle, target: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < target.length) {
    const length = Math.min(IO_PIECE, target.length - done);
    const { bytesRead } = await handle.read(target, done, length, position + done);
    if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${position + done}`);
    done += bytesRead;
  }
}
