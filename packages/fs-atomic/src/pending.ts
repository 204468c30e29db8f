/**
 * The temporary files of writes in progress in this thread, removed synchronously when the process exits
 * (`process.exit()`, e.g. from a Ctrl-C handler, or the end of the event loop), so a stream cut short
 * leaves no `.<name>.<hex>.tmp` behind. A signal without a handler kills Node without running exit
 * handlers: a program that wants the same on Ctrl-C handles SIGINT and calls `process.exit` (or
 * `removePendingTemporaryFiles`) itself, as `pnpm data` does.
 */
import { rmSync } from 'node:fs';

const pending = new Set<string>();
let exitHookInstalled = false;

export function remember(temporary: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      removePendingTemporaryFiles();
    });
  }
  pending.add(temporary);
}

export function forget(temporary: string): void {
  pending.delete(temporary);
}

/** Removes `file` if it is there; a failure is swallowed, as the error worth reporting came before it. */
export function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Already failing or exiting: nothing better to do with a file that cannot be removed.
  }
}

/**
 * Removes, synchronously, the temporary files of every atomic write still in progress (their targets are
 * left as they were) and returns how many there were. Runs by itself on process exit; call it from a
 * signal handler before exiting. A write whose temporary file was removed fails instead of renaming.
 */
export function removePendingTemporaryFiles(): number {
  const count = pending.size;
  for (const temporary of pending) removeQuietly(temporary);
  pending.clear();
  return count;
}
