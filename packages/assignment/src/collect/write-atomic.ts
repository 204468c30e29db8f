/**
 * A whole-or-nothing file write for the kit (the toolkit packages cannot use the app's): the bytes go to
 * a temp file beside the target, named with 64 random bits and opened with 'wx' so nothing planted there
 * is written through, then renamed over the target. A reader sees the old file or the new one.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomicSync(file: string, bytes: Uint8Array): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    try {
      let written = 0;
      while (written < bytes.length) {
        const count = writeSync(fd, bytes, written, bytes.length - written);
        // A write that makes no progress would loop forever: the disk takes nothing more.
        if (count <= 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        written += count;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
