/**
 * Atomic file writes: everything goes to a temporary file in the target's own folder (so the rename
 * stays on one file system), which is flushed to disk (fsync) and renamed over the target only once
 * complete. A reader never sees a half-written file, and an error or a crash leaves the old file (or none)
 * behind.
 *
 * Temporary files being written are remembered, and removed synchronously when the process exits
 * (`process.exit()`, e.g. from a Ctrl-C handler, or the end of the event loop), so an interrupted write
 * leaves no `.<name>.<pid>.<hex>.tmp` behind. A signal without a handler kills Node without running exit
 * handlers: a program that wants the same on Ctrl-C handles SIGINT and calls `process.exit` (or
 * `removePendingTemporaryFiles`) itself, as `pnpm data` does.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';

function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
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
 * The one skeleton of every atomic write: `fill` writes and fsyncs the temporary file; it is renamed over
 * `path` only if `fill` resolves, removed otherwise, and remembered for the exit hook meanwhile.
 */
async function replaceAtomically(path: string, fill: (temporary: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPath(path);
  register(temporary);
  try {
    await fill(temporary);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    pending.delete(temporary);
  }
}

/** Writes `chunks` (strings are UTF-8) to `path` atomically, creating the folder if needed. */
export async function writeFileAtomic(path: string, ...chunks: (string | ArrayBufferView)[]): Promise<void> {
  await replaceAtomically(path, async (temporary) => {
    const handle = await open(temporary, 'w');
    try {
      for (const chunk of chunks) {
        const bytes =
          typeof chunk === 'string'
            ? Buffer.from(chunk, 'utf8')
            : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        let written = 0;
        while (written < bytes.length) {
          const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
          written += bytesWritten;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}

/**
 * Streams into `path` atomically: `produce` gets a `write` that respects back-pressure; the file
 * appears (flushed to disk) only if `produce` resolves.
 */
export async function writeStreamAtomic(
  path: string,
  produce: (write: (text: string | Uint8Array) => Promise<void>) => Promise<void>,
): Promise<void> {
  await replaceAtomically(path, async (temporary) => {
    const stream: WriteStream = createWriteStream(temporary);
    let failure: Error | undefined;
    stream.on('error', (error) => {
      failure = error;
    });
    const write = async (chunk: string | Uint8Array) => {
      if (failure) throw failure;
      if (!stream.write(chunk)) {
        await new Promise<void>((resolve, reject) => {
          const onError = (error: Error) => reject(error);
          stream.once('error', onError);
          stream.once('drain', () => {
            stream.off('error', onError);
            resolve();
          });
        });
      }
    };
    try {
      await once(stream, 'open'); // the temporary file exists from here on
      await produce(write);
      stream.end();
      await finished(stream);
      if (failure) throw failure;
    } catch (error) {
      stream.destroy();
      await finished(stream).catch(() => undefined);
      throw error;
    }
    // The stream has closed its descriptor; fsync applies to the file, so a second one serves (the
    // stream's `flush` option would do the same but needs Node 20.10).
    const handle = await open(temporary, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}
