/**
 * Atomic file writes: everything goes to a temporary file in the target's own folder (so the rename
 * stays on one file system), which is renamed over the target only once complete. A reader never sees a
 * half-written file, and an error or a crash leaves the old file (or none) behind.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';

function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes `chunks` (strings are UTF-8) to `path` atomically, creating the folder if needed. */
export async function writeFileAtomic(path: string, ...chunks: (string | ArrayBufferView)[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPath(path);
  try {
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
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Streams into `path` atomically: `produce` gets a `write` that respects back-pressure; the file
 * appears only if `produce` resolves.
 */
export async function writeStreamAtomic(
  path: string,
  produce: (write: (text: string | Uint8Array) => Promise<void>) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPath(path);
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
    await produce(write);
    stream.end();
    await finished(stream);
    if (failure) throw failure;
    await rename(temporary, path);
  } catch (error) {
    stream.destroy();
    await finished(stream).catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}
