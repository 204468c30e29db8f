/**
 * Atomic file writes: everything goes to a temporary file in the target's own folder (so the rename
 * stays on one file system), which is flushed to disk (fsync) and renamed over the target only once
 * complete. A reader never sees a half-written file, and an error or a crash leaves the old file (or none)
 * behind. A failed write (a full disk, no permission) removes its temporary file and throws a one-line
 * WriteError naming the target.
 *
 * The temporary name carries 96 random bits (crypto) and is created with O_EXCL ('wx'): another local
 * user cannot guess it in advance, and a symlink planted at it anyway makes the open fail rather than
 * redirect the write.
 *
 * Temporary files being written are remembered, and removed synchronously when the process exits
 * (`process.exit()`, e.g. from a Ctrl-C handler, or the end of the event loop), so an interrupted write
 * leaves no `.<name>.<hex>.tmp` behind. A signal without a handler kills Node without running exit
 * handlers: a program that wants the same on Ctrl-C handles SIGINT and calls `process.exit` (or
 * `removePendingTemporaryFiles`) itself, as `pnpm data` does.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { printable } from './errors.js';

/** A write that failed in the file system, as one line: `<path>: cannot write (<reason>)`. */
export class WriteError extends Error {
  override name = 'WriteError';
  readonly path: string;
  /** The errno code, e.g. 'ENOSPC'. */
  readonly code: string;
  constructor(path: string, code: string, reason: string) {
    super(`${printable(path)}: cannot write (${reason})`);
    this.path = path;
    this.code = code;
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'the target is a folder',
  EEXIST: 'no fresh temporary file could be created',
  ENOENT: 'the folder or the temporary file disappeared',
  EIO: 'input/output error',
};

function toWriteError(path: string, error: unknown): unknown {
  if (error instanceof WriteError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return error; // errno codes, not Node's ERR_*
  return new WriteError(path, code, `${code}: ${REASONS[code] ?? 'file system error'}`);
}

/** How many fresh names to try when one exists already (a leftover, or a file planted there). */
const NAME_ATTEMPTS = 4;

/**
 * Creates a fresh temporary file beside `path`. Its name is registered for the exit hook before the file
 * exists: an exit between the open and its continuation must not leave it behind.
 */
async function createTemporary(path: string): Promise<{ temporary: string; handle: FileHandle }> {
  for (let attempt = 1; ; attempt++) {
    const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(12).toString('hex')}.tmp`);
    register(temporary);
    try {
      return { temporary, handle: await open(temporary, 'wx', 0o644) };
    } catch (error) {
      pending.delete(temporary); // not ours: never remove what stands at that name
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === NAME_ATTEMPTS) throw error;
    }
  }
}

/** Writes all of `bytes`: one write may take only part of them, and one that takes none is a failure. */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
    if (!(bytesWritten > 0)) {
      const error: NodeJS.ErrnoException = new Error(`wrote 0 of ${bytes.length - written} bytes`);
      error.code = 'ENOSPC'; // what a write that makes no progress on a regular file means
      throw error;
    }
    written += bytesWritten;
  }
}

function toBytes(chunk: string | ArrayBufferView): Uint8Array {
  return typeof chunk === 'string'
    ? Buffer.from(chunk, 'utf8')
    : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Temporary files of writes in progress in this thread. */
const pending = new Set<string>();
let exitHookInstalled = false;

function register(temporary: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      removePendingTemporaryFiles();
    });
  }
  pending.add(temporary);
}

/**
 * Removes, synchronously, the temporary files of every atomic write still in progress (their targets are
 * left as they were) and returns how many there were. Runs by itself on process exit; call it from a
 * signal handler before exiting. A write whose temporary file was removed fails instead of renaming.
 */
export function removePendingTemporaryFiles(): number {
  const count = pending.size;
  for (const temporary of pending) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Exiting: nothing better to do with a file that cannot be removed.
    }
  }
  pending.clear();
  return count;
}

/**
 * The one skeleton of every atomic write: `fill` writes into the temporary file, which is then fsynced,
 * closed and renamed over `path`; on any failure it is removed. It is remembered for the exit hook
 * meanwhile.
 */
async function replaceAtomically(path: string, fill: (handle: FileHandle) => Promise<void>): Promise<void> {
  let temporary: string | undefined;
  try {
    await mkdir(dirname(path), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      throw new WriteError(path, 'ENOTDIR', 'a file stands where a folder of the path should be');
    });
    const created = await createTemporary(path);
    temporary = created.temporary;
    const { handle } = created;
    try {
      await fill(handle);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    if (temporary !== undefined) await rm(temporary, { force: true });
    throw toWriteError(path, error);
  } finally {
    if (temporary !== undefined) pending.delete(temporary);
  }
}

/** Writes `chunks` (strings are UTF-8) to `path` atomically, creating the folder if needed. */
export async function writeFileAtomic(path: string, ...chunks: (string | ArrayBufferView)[]): Promise<void> {
  await replaceAtomically(path, async (handle) => {
    for (const chunk of chunks) await writeAll(handle, toBytes(chunk));
  });
}

/**
 * Streams into `path` atomically: `produce` gets a `write` that resolves once its chunk is written (so a
 * producer never runs ahead of the disk); the file appears (flushed to disk) only if `produce` resolves.
 * Errors thrown by `produce` pass through unchanged.
 */
export async function writeStreamAtomic(
  path: string,
  produce: (write: (text: string | Uint8Array) => Promise<void>) => Promise<void>,
): Promise<void> {
  await replaceAtomically(path, async (handle) => {
    await produce((chunk) => writeAll(handle, toBytes(chunk)));
  });
}
