/**
 * The run folder a `pnpm train` writes into, held for the whole run: created if missing, locked (see
 * lock.ts) so two runs never write into one folder, and refused when it already holds files unless
 * `--overwrite` is given, so one run's files are never mixed with another's.
 */

import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeFsError } from '@backprop-lab/fs-atomic';
import { OutputError } from '../errors.js';
import { makeFolders, removeIfEmpty } from './folders.js';
import { LOCK_NAME, lockFolder } from './lock.js';

export interface RunFolder {
  dir: string;
  /** Releases the lock; `failed` also removes the folders this run created while they are empty. */
  close(options?: { failed?: boolean }): void;
}

/** Opens `--out dir`: it may exist if empty, or hold files when `overwrite` is set. */
export function openRunFolder(dir: string, overwrite: boolean): RunFolder {
  let created: string | undefined;
  try {
    created = makeFolders(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOTDIR' ? 'a file is in the way' : describeFsError(error);
    throw new OutputError(`--out ${dir}: cannot create or write the run folder (${why})`);
  }
  const lock = lockFolder(dir, '--out');
  const close = ({ failed = false } = {}) => {
    lock.release();
    if (failed) removeIfEmpty(dir, created);
  };
  const entries = readdirSync(dir)
    .filter((name) => name !== LOCK_NAME)
    .sort();
  if (entries.length > 0 && !overwrite) {
    close({ failed: true });
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', ...' : '');
    throw new OutputError(
      `--out ${dir}: the folder is not empty (${shown}); give --overwrite to replace its files, or another --out`,
    );
  }
  return { dir, close };
}

/** runs/<timestamp>-<experiment>/ under the current directory, with -2, -3... if it already exists. */
export function openDefaultRunFolder(started: Date, experiment: string): RunFolder {
  const stamp = started
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/:/g, '-');
  const base = resolve('runs', `${stamp}-${experiment}`);
  for (let n = 1; ; n++) {
    const dir = n === 1 ? base : `${base}-${n}`;
    // makeFolders reports whether it made `dir` itself: a folder that existed belongs to another run.
    let created: string | undefined;
    try {
      created = makeFolders(dir);
    } catch (error) {
      throw new OutputError(
        `cannot create the run folder ${dirname(dir)} (${describeFsError(error)}); choose one with --out`,
      );
    }
    if (created !== undefined) {
      const folder = openRunFolder(dir, false);
      return {
        dir,
        close: (options) => {
          folder.close(options);
          if (options?.failed) removeIfEmpty(dir, created);
        },
      };
    }
  }
}
