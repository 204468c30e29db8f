/**
 * Atomic file output: write a temp file in the same folder, then rename over the target. rename(2) within
 * one filesystem is atomic, so a reader (or a Ctrl-C) sees the old file or the new one, never half of one.
 * The writes are synchronous on purpose: a SIGINT handler runs on the event loop and so can never land
 * between the write and the rename.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

export function writeFileAtomic(file: string, contents: string): void {
  const folder = dirname(file);
  mkdirSync(folder, { recursive: true });
  const temp = join(folder, `.${basename(file)}.${process.pid}.${counter++}.tmp`);
  try {
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, contents);
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
