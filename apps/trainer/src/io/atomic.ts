/**
 * The app's one atomic file write: write a temp file in the same folder, then rename over the target.
 * rename(2) within one filesystem is atomic, so a reader (or a Ctrl-C) sees the old file or the new one,
 * never half of one. The writes are synchronous on purpose: a SIGINT handler runs on the event loop and so
 * can never land between the write and the rename.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OutputError } from '../errors.js';

/**
 * `.<name>.<random>.tmp` beside the target. The name is unpredictable and opened with 'wx' (fails if it
 * exists), so nobody can plant a file or a symlink there for us to write through.
 */
function temporaryPath(file: string): string {
  return join(dirname(file), `.${basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
}

/** Every byte of `bytes`, or a throw: writeSync may write fewer bytes than asked (a disk filling up). */
function writeAll(fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) {
    const count = writeSync(fd, bytes, written, bytes.length - written);
    // A write that makes no progress would loop forever; the disk takes nothing more.
    if (count <= 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    written += count;
  }
}

/**
 * Writes `contents` (strings as UTF-8) to `file` atomically; the folder must exist. On any failure the
 * temp file is removed, the target is left as it was, and an OutputError names the file and the cause.
 */
export function writeFileAtomic(file: string, contents: string | Uint8Array): void {
  publish(file, contents, (temp) => renameSync(temp, file));
}

/**
 * Creates `file` whole with `contents` unless it already exists: true if created, false if it was there.
 * link(2) fails on an existing target, so of two processes creating one file at once exactly one wins and
 * neither ever sees half of it (files that several writers share: a sharded study's run folder).
 */
export function createFileAtomic(file: string, contents: string | Uint8Array): boolean {
  let created = true;
  publish(file, contents, (temp) => {
    try {
      linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      created = false;
    }
    rmSync(temp, { force: true });
  });
  return created;
}

/** Writes `contents` to a fresh temp file beside `file`, then hands the temp path to `place`. */
function publish(file: string, contents: string | Uint8Array, place: (temp: string) => void): void {
  const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
  const temp = temporaryPath(file);
  let created = false;
  try {
    const fd = openSync(temp, 'wx', 0o644);
    created = true;
    try {
      writeAll(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    place(temp);
  } catch (error) {
    if (created) removeQuietly(temp);
    throw new OutputError(`cannot write ${file} (${describeFsError(error)})`, { cause: error });
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // The write already failed; its error is the one worth reporting.
  }
}

/** "ENOSPC: no space left on device" from a Node fs error, without the syscall and path it repeats. */
export function describeFsError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string') return String(message ?? error);
  const reason = /^[A-Z]+: ([^,]+)/.exec(String(message))?.[1];
  return reason ? `${code}: ${reason}` : code;
}
