import * as fsp from 'node:fs/promises';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@backprop-lab/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from './checkpoint.js';

// The file system is watched (open's path and flags) and, for the disk-full cases, its writes cut short.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return { ...real, open: vi.fn(real.open) };
});
const realOpen = (await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')).open;
afterEach(() => {
  vi.mocked(fsp.open).mockImplementation(realOpen);
  vi.mocked(fsp.open).mockClear();
});

/** open() whose handles write at most `chunk` bytes a call and `room` bytes in all, then fail as a full disk. */
function disk(chunk: number, room: number): void {
  vi.mocked(fsp.open).mockImplementation((async (...args: Parameters<typeof realOpen>) => {
    const handle = await realOpen(...args);
    const write = handle.write.bind(handle) as (
      b: Uint8Array,
      o: number,
      l: number,
    ) => Promise<{ bytesWritten: number }>;
    (handle as { write: unknown }).write = async (bytes: Uint8Array, offset: number, length: number) => {
      const count = Math.min(length, chunk, room);
      if (count === 0)
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      room -= count;
      return write(bytes, offset, count);
    };
    return handle;
  }) as never);
}

describe('checkpoint writeFileAtomic', () => {
  it('opens an unpredictable temp name beside the target with exclusive create', async () => {
    const dir = await tempDir('optim-write');
    await writeFileAtomic(join(dir, 'net.ckpt'), Buffer.from('a'));
    await writeFileAtomic(join(dir, 'net.ckpt'), Buffer.from('b'));
    const opens = vi.mocked(fsp.open).mock.calls.map(([path, flags]) => ({ path: String(path), flags }));
    expect(opens.map(({ flags }) => flags)).toEqual(['wx', 'wx']);
    for (const { path } of opens) expect(path).toMatch(/[/\\]\.net\.ckpt\.[0-9a-f]{16}\.tmp$/);
    expect(opens[0].path).not.toBe(opens[1].path);
    expect(await readFile(join(dir, 'net.ckpt'), 'utf8')).toBe('b');
  });

  it('writes every byte when they go down a few at a time', async () => {
    const dir = await tempDir('optim-write');
    const bytes = Buffer.alloc(10_000, 7);
    disk(4096, Number.POSITIVE_INFINITY);
    await writeFileAtomic(join(dir, 'net.ckpt'), bytes);
    expect(await readFile(join(dir, 'net.ckpt'))).toEqual(bytes);
  });

  it('on a full disk: rejects, keeps the old checkpoint and removes its temp file', async () => {
    const dir = await tempDir('optim-write');
    const path = join(dir, 'net.ckpt');
    await writeFile(path, 'old');
    disk(4096, 4096);
    await expect(writeFileAtomic(path, Buffer.alloc(10_000))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['net.ckpt']);
  });
});
