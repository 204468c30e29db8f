/**
 * A run folder's lock: a file created whole only if absent (createFileAtomicSync links a complete
 * temporary file into place, so exactly one process creates it) holding the owner's pid and host. A lock
 * whose pid is dead on this host is stale (a run killed with SIGKILL, a crash) and is reclaimed; any other
 * lock refuses with one line naming the owner and the file.
 */

import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createFileAtomicSync, describeFsError, WriteError } from '@backprop-lab/fs-atomic';
import { OutputError } from '../errors.js';

export const LOCK_NAME = '.train.lock';

interface LockOwner {
  pid: number;
  host: string;
}

export interface FolderLock {
  path: string;
  release(): void;
}

/** Takes the lock of `dir` (which must exist) or throws an OutputError saying who holds it. */
export function lockFolder(dir: string, flag: string): FolderLock {
  const path = join(dir, LOCK_NAME);
  const text = `${JSON.stringify({ pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex') })}\n`;
  // Two tries: a stale lock is reclaimed once; if another run takes the folder meanwhile, it wins.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(path, text, `${flag} ${dir}`)) return heldLock(path, text);
    const held = readFileOrNull(path);
    if (held === null) continue; // released between our try and the read
    const owner = parseOwner(held);
    if (owner === null || !isStale(owner)) throw busy(flag, dir, path, owner);
    reclaim(path, held);
  }
  throw busy(flag, dir, path, parseOwner(readFileOrNull(path) ?? ''));
}

/**
 * Creates the lock whole or not at all: a lock seen empty or half-written (a full disk) would block the
 * folder for good. False if another run holds it.
 */
function tryCreate(path: string, text: string, where: string): boolean {
  try {
    return createFileAtomicSync(path, text, { createFolders: false });
  } catch (error) {
    const why = error instanceof WriteError ? error.reason : describeFsError(error);
    throw new OutputError(`${where}: cannot create the lock file ${path} (${why})`);
  }
}

function heldLock(path: string, text: string): FolderLock {
  // A process.exit (a second Ctrl-C) still releases the lock; SIGKILL leaves it, stale, to be reclaimed.
  const onExit = () => release();
  process.on('exit', onExit);
  const release = () => {
    process.off('exit', onExit);
    // Only our own lock: never one that another run took after reclaiming ours.
    if (readFileOrNull(path) === text) rmSync(path, { force: true });
  };
  return { path, release };
}

/**
 * Moves the stale lock aside before deleting it: rename is atomic, so of two runs reclaiming at once only
 * one moves the stale file. If what we moved is not the stale lock we read (another run reclaimed it and
 * took the folder first), it goes back.
 */
function reclaim(path: string, staleText: string): void {
  const aside = `${path}.${randomBytes(8).toString('hex')}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else moved it; the next attempt sees the folder as it is now
  }
  if (readFileOrNull(aside) !== staleText) {
    try {
      linkSync(aside, path);
    } catch {
      // A third run holds the folder now; its lock stands.
    }
  }
  rmSync(aside, { force: true });
}

function isStale(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const { pid, host } = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isSafeInteger(pid) && (pid as number) > 0 && typeof host === 'string')
      return { pid: pid as number, host };
  } catch {}
  return null;
}

function readFileOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function busy(flag: string, dir: string, path: string, owner: LockOwner | null): OutputError {
  const who = owner ? `run ${owner.pid} on ${owner.host}` : 'another run';
  return new OutputError(
    `${flag} ${dir}: in use by ${who} (lock file ${path}; delete it only if no run is writing there)`,
  );
}
