/**
 * A strict reader for the zips `pnpm collect` writes, made for untrusted input. It reads the central
 * directory, checks every entry before anything is inflated (name, kind, declared sizes, where its data
 * lies), then inflates one entry at a time with a hard cap at the size the header declared, so a zip bomb
 * stops at that cap whatever its header says. Anything unusual (zip64, encryption, several disks, a
 * compression other than stored or deflate) is refused: collect never writes it. fflate writes these
 * zips; reading is done here because the checks need the raw header fields (unix mode, local offsets)
 * that no sync reader exposes, and node:zlib inflates with an output cap.
 */
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  maxEntries: number;
  /** Per entry, uncompressed. */
  maxEntryBytes: number;
  /** All entries together, uncompressed. */
  maxTotalBytes: number;
}

export interface ZipEntry {
  name: string;
  isDirectory: boolean;
  method: number;
  crc: number;
  compressedSize: number;
  /** Uncompressed size as the central directory declares it. */
  size: number;
  /** Where the entry's compressed bytes start. */
  dataOffset: number;
}

/** The zip cannot be read safely; the message names the entry at fault (the caller adds the file). */
export class ZipError extends Error {
  override name = 'ZipError';
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const UNIX = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** The end-of-central-directory record: the last 22 bytes, or earlier when the zip has a comment. */
function findEndRecord(zip: Buffer): number {
  if (zip.length < 22) throw new ZipError(`not a zip file (${zip.length} bytes)`);
  const earliest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= earliest; at--) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE && at + 22 + zip.readUInt16LE(at + 20) === zip.length)
      return at;
  }
  throw new ZipError('not a zip file (no end-of-central-directory record: not a zip, or truncated)');
}

/** `"name"` quoted and escaped, so a name made of control characters still prints as one line. */
export const quoted = (name: string) => JSON.stringify(name);

/** Zip-slip and friends: a name that could land outside the folder it is extracted into. */
function checkName(name: string): void {
  if (name.length === 0) throw new ZipError('an entry has an empty name');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\u0000-\u001f\u007f\\:]/.test(name))
    throw new ZipError(`entry ${quoted(name)}: control character, backslash or colon in its name`);
  if (name.startsWith('/')) throw new ZipError(`entry ${quoted(name)}: absolute path`);
  if (name.split('/').some((part) => part === '..' || part === '.'))
    throw new ZipError(`entry ${quoted(name)}: '..' or '.' in its path`);
}

function readCentralEntry(zip: Buffer, at: number, end: number): { entry: ZipEntry; next: number } {
  if (at + 46 > end || zip.readUInt32LE(at) !== CENTRAL_SIGNATURE)
    throw new ZipError('damaged central directory (an entry header is cut short or missing)');
  const nameLength = zip.readUInt16LE(at + 28);
  const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  if (next > end) throw new ZipError('damaged central directory (an entry runs past its end)');
  const name = zip.toString('latin1', at + 46, at + 46 + nameLength);
  checkName(name);
  const flags = zip.readUInt16LE(at + 8);
  if (flags & 1) throw new ZipError(`entry ${quoted(name)}: encrypted`);
  const mode = zip.readUInt32LE(at + 38) >>> 16;
  if (zip.readUInt8(at + 5) === UNIX && (mode & S_IFMT) === S_IFLNK)
    throw new ZipError(`entry ${quoted(name)}: a symbolic link`);
  const method = zip.readUInt16LE(at + 10);
  if (method !== 0 && method !== 8)
    throw new ZipError(`entry ${quoted(name)}: compression method ${method} (only stored or deflate)`);
  const compressedSize = zip.readUInt32LE(at + 20);
  const size = zip.readUInt32LE(at + 24);
  const localOffset = zip.readUInt32LE(at + 42);
  if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff)
    throw new ZipError(`entry ${quoted(name)}: zip64 sizes are not supported`);
  const entry = {
    name,
    isDirectory: name.endsWith('/'),
    method,
    crc: zip.readUInt32LE(at + 16),
    compressedSize,
    size,
    dataOffset: localOffset,
  };
  return { entry, next };
}

/** Checks the entry's local header against the central one; returns where its data starts. */
function locateData(zip: Buffer, entry: ZipEntry, centralStart: number): number {
  const at = entry.dataOffset;
  if (at + 30 > centralStart || zip.readUInt32LE(at) !== LOCAL_SIGNATURE)
    throw new ZipError(`entry ${quoted(entry.name)}: its local header is missing or damaged`);
  const nameLength = zip.readUInt16LE(at + 26);
  const localName = zip.toString('latin1', at + 30, at + 30 + nameLength);
  // Two names for one entry is how some tools are tricked into writing where the listing did not say.
  if (localName !== entry.name)
    throw new ZipError(`entry ${quoted(entry.name)}: its local header names it ${quoted(localName)}`);
  const start = at + 30 + nameLength + zip.readUInt16LE(at + 28);
  if (start + entry.compressedSize > centralStart)
    throw new ZipError(`entry ${quoted(entry.name)}: its data runs past the end of the archive (truncated?)`);
  return start;
}

/** Every entry, each checked; throws on the first one at fault, before anything is inflated. */
export function listZipEntries(zip: Buffer, limits: ZipLimits): ZipEntry[] {
  const end = findEndRecord(zip);
  if (zip.readUInt16LE(end + 4) !== 0 || zip.readUInt16LE(end + 6) !== 0)
    throw new ZipError('a zip split over several disks is not supported');
  const count = zip.readUInt16LE(end + 10);
  const centralSize = zip.readUInt32LE(end + 12);
  const centralStart = zip.readUInt32LE(end + 16);
  if (count === 0xffff || centralStart === 0xffffffff) throw new ZipError('zip64 archives are not supported');
  if (count > limits.maxEntries)
    throw new ZipError(`${count} entries, more than the ${limits.maxEntries} a submission may hold`);
  if (centralStart + centralSize > end)
    throw new ZipError('truncated (the central directory lies past the end of the file)');
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let at = centralStart;
  for (let i = 0; i < count; i++) {
    const { entry, next } = readCentralEntry(zip, at, centralStart + centralSize);
    at = next;
    if (names.has(entry.name)) throw new ZipError(`entry ${quoted(entry.name)}: appears twice`);
    names.add(entry.name);
    if (entry.size > limits.maxEntryBytes)
      throw new ZipError(
        `entry ${quoted(entry.name)}: declares ${entry.size} bytes, over the ${limits.maxEntryBytes}-byte limit per file`,
      );
    total += entry.size;
    if (total > limits.maxTotalBytes)
      throw new ZipError(`its entries declare over ${limits.maxTotalBytes} bytes in all`);
    entries.push({ ...entry, dataOffset: locateData(zip, entry, centralStart) });
  }
  return entries;
}

/** The entry's bytes: never more than its declared size, and exactly them, with the right CRC. */
export function inflateEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const data = zip.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let bytes: Buffer;
  if (entry.method === 0) {
    bytes = data;
  } else {
    try {
      // The cap is what makes a bomb harmless: zlib stops once the output would pass it.
      bytes = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE')
        throw new ZipError(
          `entry ${quoted(entry.name)}: inflates past the ${entry.size} bytes its header declares (a zip bomb?)`,
        );
      throw new ZipError(
        `entry ${quoted(entry.name)}: damaged compressed data (${(error as Error).message})`,
      );
    }
  }
  if (bytes.length !== entry.size)
    throw new ZipError(
      `entry ${quoted(entry.name)}: holds ${bytes.length} bytes, its header declares ${entry.size}`,
    );
  if (crc32(bytes) !== entry.crc) throw new ZipError(`entry ${quoted(entry.name)}: CRC mismatch (damaged)`);
  return bytes;
}
