/**
 * Atomic file writes: everything goes to a temporary file in the target's own folder (so the rename stays
 * on one file system), which is flushed to disk (fsync) and renamed over the target only once complete.
 * A reader never sees a half-written file, and an error or a crash leaves the old file (or none) behind.
 * A failed write (a full disk, no permission) removes its temporary file and throws a one-line WriteError
 * naming the target.
 *
 * The temporary name carries 96 random bits (crypto) and is created with O_EXCL ('wx'): another local
 * user cannot guess it in advance, and a symlink planted at it anyway makes the open fail rather than
 * redirect the write.
 *
 * One implementation serves the sync and the async entry points: the file-system calls are synchronous
 * in both. The async ones give the event loop a turn after each chunk, so a signal handler (Ctrl-C) or an
 * exit runs between two chunks, never between the last write and the rename.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { forget, remember, removeQuietly } from './pending.js';
import { toWriteError, WriteError } from './write-error.js';

/** What a whole-file write takes: text (as UTF-8), bytes, or a list of either written one after another. */
export type Contents = string | ArrayBufferView | readonly (string | ArrayBufferView)[];

export interface AtomicWriteOptions {
  /**
   * Make the target's missing folders first (default true). False where a missing folder means something
   * went wrong (a locked run folder that was deleted): the write then fails with ENOENT.
   */
  createFolders?: boolean;
}

/** A temporary file open for writing beside its target; `fd` is null once closed. */
interface Temporary {
  target: string;
  temporary: string;
  fd: number | null;
}

/** How many fresh names to try when one exists already (a leftover, or a file planted there). */
const NAME_ATTEMPTS = 4;

function makeFolders(target: string): void {
  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new WriteError(target, 'ENOTDIR', 'a file stands where a folder of the path should be');
  }
}

/** Creates a fresh temporary file beside `target`, remembered for the exit hook until it is settled. */
function openTemporary(target: string, options: AtomicWriteOptions): Temporary {
  try {
    if (options.createFolders ?? true) makeFolders(target);
    for (let attempt = 1; ; attempt++) {
      const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(12).toString('hex')}.tmp`);
      try {
        const fd = openSync(temporary, 'wx', 0o644);
        remember(temporary);
        return { target, temporary, fd };
      } catch (error) {
        // Never remove what stands at that name: it is not ours.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === NAME_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    throw toWriteError(target, error);
  }
}

/** Writes all of `bytes`: one write may take only part of them, and one that takes none is a failure. */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length; ) {
    const count = writeSync(fd, bytes, written, bytes.length - written);
    if (!(count > 0)) {
      // What a write that makes no progress on a regular file means; looping would spin forever.
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    written += count;
  }
}

function toBytes(chunk: string | ArrayBufferView): Uint8Array {
  return typeof chunk === 'string'
    ? Buffer.from(chunk, 'utf8')
    : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Closes and removes the temporary file after `error`, which it returns as a WriteError if it is one. */
function abandon(file: Temporary, error: unknown): unknown {
  if (file.fd !== null) {
    try {
      closeSync(file.fd);
    } catch {
      // The write already failed; its error is the one worth reporting.
    }
  }
  removeQuietly(file.temporary);
  forget(file.temporary);
  return toWriteError(file.target, error);
}

/** Flushes and closes the filled temporary file, then `place`s it at its target. */
function settle<T>(file: Temporary, place: (temporary: string, target: string) => T): T {
  try {
    const fd = file.fd as number;
    fsyncSync(fd);
    file.fd = null; // a failed close has released the descriptor too: never close it twice
    closeSync(fd);
    const result = place(file.temporary, file.target);
    forget(file.temporary);
    return result;
  } catch (error) {
    throw abandon(file, error);
  }
}

function chunksOf(contents: Contents): readonly (string | ArrayBufferView)[] {
  return typeof contents === 'string' || ArrayBuffer.isView(contents) ? [contents] : contents;
}

/** Writes `contents` whole, or removes the temporary file and throws. */
function fill(file: Temporary, contents: Contents): void {
  const chunks = chunksOf(contents);
  try {
    for (const chunk of chunks) writeAll(file.fd as number, toBytes(chunk));
  } catch (error) {
    throw abandon(file, error);
  }
}

/**
 * Writes `contents` to `path` atomically, replacing what was there. The calls block: a SIGINT handler,
 * which runs on the event loop, can never land between the write and the rename.
 */
export function writeFileAtomicSync(
  path: string,
  contents: Contents,
  options: AtomicWriteOptions = {},
): void {
  const file = openTemporary(path, options);
  fill(file, contents);
  settle(file, renameSync);
}

/** writeFileAtomicSync for async callers: the event loop has a turn between the chunks of `contents`. */
export async function writeFileAtomic(
  path: string,
  contents: Contents,
  options: AtomicWriteOptions = {},
): Promise<void> {
  await writeStreamAtomic(
    path,
    async (write) => {
      for (const chunk of chunksOf(contents)) await write(chunk);
    },
    options,
  );
}

/**
 * Streams into `path` atomically: `produce` gets a `write` that resolves once its chunk is written (so a
 * producer never runs ahead of the disk); the file appears (flushed to disk) only if `produce` resolves.
 * Errors thrown by `produce` pass through unchanged.
 */
export async function writeStreamAtomic(
  path: string,
  produce: (write: (chunk: string | ArrayBufferView) => Promise<void>) => Promise<void>,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const file = openTemporary(path, options);
  try {
    await produce(async (chunk) => {
      writeAll(file.fd as number, toBytes(chunk));
      // Without a turn of the event loop, a producer that awaits nothing but these writes would hold it
      // for the whole stream, and a Ctrl-C handler would run only once the file is complete.
      await setImmediate();
    });
  } catch (error) {
    throw abandon(file, error);
  }
  settle(file, renameSync);
}

/**
 * Creates `path` whole with `contents` unless it already exists: true if created, false if it was there
 * (left untouched). link(2) fails on an existing target, so of two processes creating one file at once
 * exactly one wins and neither ever sees half of it (files that several writers share).
 */
export function createFileAtomicSync(
  path: string,
  contents: Contents,
  options: AtomicWriteOptions = {},
): boolean {
  const file = openTemporary(path, options);
  fill(file, contents);
  return settle(file, (temporary, target) => {
    let created = true;
    try {
      linkSync(temporary, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      created = false;
    }
    removeQuietly(temporary);
    return created;
  });
}
