/**
 * Opening input files. Every reader of the package opens its input here, so that whatever stands at the
 * path (a folder, a pipe, a device, a symlink loop, a file without read permission) ends in one DataError
 * line naming the file, never in a hang or an errno dump.
 */
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { DataError } from './errors.js';

/**
 * Opens `path` for reading and returns the handle only when it is a regular file. O_NONBLOCK makes the
 * open itself return at once on a FIFO (a plain open waits for a writer, forever); it changes nothing
 * for reads of a regular file. `what` names the file in the message, e.g. 'the class-names file'.
 */
export async function openRegularFile(path: string, what = 'a data file'): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw fileError(path, error);
  }
  try {
    const kind = fileKind(await handle.stat());
    if (kind === null) return handle;
    const hint = kind.startsWith('is a pipe') ? '; save it to a file first' : '';
    throw new DataError(path, 0, 0, `${kind}, but ${what} must be a regular file${hint}`);
  } catch (error) {
    await handle.close();
    throw error instanceof DataError ? error : fileError(path, error);
  }
}

/** The whole text of a regular file (UTF-8), or undefined when nothing is at `path`. */
export async function readTextFileIfAny(path: string, what?: string): Promise<string | undefined> {
  try {
    return await readTextFile(path, what);
  } catch (error) {
    if (error instanceof FileSystemError && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The whole text of a regular file (UTF-8), through openRegularFile. */
export async function readTextFile(path: string, what?: string): Promise<string> {
  const handle = await openRegularFile(path, what);
  try {
    return await handle.readFile('utf8');
  } catch (error) {
    throw fileError(path, error);
  } finally {
    await handle.close();
  }
}

interface Kind {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}

function fileKind(stats: Kind): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'is a folder';
  // Process substitution (`<(cat x.csv)`) and `/dev/stdin` in a pipeline are pipes: their bytes can be
  // read only once, while the readers need the size and several passes.
  if (stats.isFIFO()) return 'is a pipe (process substitution or a FIFO)';
  if (stats.isSocket()) return 'is a socket';
  if (stats.isCharacterDevice()) return 'is a character device';
  if (stats.isBlockDevice()) return 'is a block device';
  return 'is a special file';
}

/** A DataError about the file as a whole that came from the file system, with its errno code. */
export class FileSystemError extends DataError {
  readonly code: string;
  constructor(path: string, code: string) {
    super(path, 0, 0, REASONS[code] ?? `cannot read (${code})`);
    this.code = code;
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a folder, not a regular file',
  ELOOP: 'too many levels of symbolic links (a symlink loop?)',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error while reading',
};

/** A file-system error on `path` as a one-line DataError (other errors pass through unchanged). */
export function fileError(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return error; // errno codes, not Node's ERR_*
  return new FileSystemError(path, code);
}
