/**
 * The binary cache of a parsed CSV: `<cache folder>/<csv name>.<key>.bin`, where the key hashes the CSV's
 * absolute path and every option that changes the output (dtype, labelColumn, featureRange, numClasses,
 * maxRows). Layout, little-endian:
 *   8 bytes magic `BPLDATA1` | u32 header length | header JSON | zero padding to a multiple of 8 |
 *   X as float32/float64 [N·D] | y as int32 [N]
 * The header records a fingerprint of the CSV (size, mtime, SHA-1 of its first and last 64 KiB) and of
 * the class-names sidecar; a load whose fingerprint differs is a miss, and the next write replaces the
 * file. Reading a hit is one header parse and two reads straight into the output arrays.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, open, readFile, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { allocate, type DType, type TypedArray } from '@backprop-lab/tensor';
import { writeFileAtomic } from './atomic.js';
import { classNamesPath } from './class-names.js';

const MAGIC = 'BPLDATA1';
const SAMPLE_BYTES = 1 << 16;
/** Reads and writes go in pieces below the 2 GiB limit of one fs call. */
const IO_PIECE = 1 << 30;

export interface SourceFingerprint {
  size: number;
  mtimeMs: number;
  /** SHA-1 of the first and last 64 KiB. */
  sample: string;
  /** SHA-1 of the class-names sidecar, or null without one. */
  classNames: string | null;
}

export interface CachedData {
  X: TypedArray;
  y: Int32Array;
  rows: number;
  featureNames: string[];
  numClasses: number;
  classNames?: string[];
}

interface CacheHeader {
  source: SourceFingerprint;
  options: Record<string, unknown>;
  dtype: DType;
  rows: number;
  featureNames: string[];
  numClasses: number;
  classNames?: string[];
}

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

export async function fingerprint(csvPath: string): Promise<SourceFingerprint> {
  const handle = await open(csvPath, 'r');
  try {
    const { size, mtimeMs } = await handle.stat();
    const hash = createHash('sha1');
    const head = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
    await readFully(handle, head, 0);
    hash.update(head);
    const tailStart = Math.max(head.length, size - SAMPLE_BYTES);
    const tail = Buffer.alloc(size - tailStart);
    await readFully(handle, tail, tailStart);
    hash.update(tail);
    let classNames: string | null = null;
    try {
      classNames = createHash('sha1')
        .update(await readFile(classNamesPath(csvPath)))
        .digest('hex');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return { size, mtimeMs, sample: hash.digest('hex'), classNames };
  } finally {
    await handle.close();
  }
}

/** The cached arrays when `cacheFile` exists and matches `source` and `options`; otherwise undefined. */
export async function loadCache(
  cacheFile: string,
  source: SourceFingerprint,
  options: Record<string, unknown>,
): Promise<CachedData | undefined> {
  if (endianness() !== 'LE') return undefined;
  let handle: FileHandle;
  try {
    handle = await open(cacheFile, 'r');
  } catch {
    return undefined; // no cache yet (or unreadable): parse the CSV
  }
  try {
    const { size } = await handle.stat();
    const prefix = Buffer.alloc(12);
    if (size < 12 || (await handle.read(prefix, 0, 12, 0)).bytesRead !== 12) return undefined;
    if (prefix.toString('latin1', 0, 8) !== MAGIC) return undefined;
    const headerLength = prefix.readUInt32LE(8);
    if (12 + headerLength > size) return undefined;
    const headerBytes = Buffer.alloc(headerLength);
    await readFully(handle, headerBytes, 12);
    const header = JSON.parse(headerBytes.toString('utf8')) as CacheHeader;
    if (JSON.stringify(header.source) !== JSON.stringify(source)) return undefined;
    if (JSON.stringify(header.options) !== JSON.stringify(options)) return undefined;
    const features = header.featureNames.length;
    const X = allocate(header.dtype, header.rows * features);
    const y = new Int32Array(header.rows);
    const dataStart = align8(12 + headerLength);
    if (dataStart + X.byteLength + y.byteLength !== size) return undefined;
    await readFully(handle, new Uint8Array(X.buffer), dataStart);
    await readFully(handle, new Uint8Array(y.buffer), dataStart + X.byteLength);
    const { rows, featureNames, numClasses, classNames } = header;
    return { X, y, rows, featureNames, numClasses, classNames };
  } catch {
    return undefined; // a damaged cache file is a miss; the next save replaces it
  } finally {
    await handle.close();
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
  await writeFileAtomic(cacheFile, ...pieces);
}

/** Whether the CSV changed since `source` was taken (cheap: stat only). */
export async function sameStat(csvPath: string, source: SourceFingerprint): Promise<boolean> {
  const { size, mtimeMs } = await stat(csvPath);
  return size === source.size && mtimeMs === source.mtimeMs;
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
