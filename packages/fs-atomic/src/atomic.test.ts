import * as fs from 'node:fs';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createFileAtomicSync,
  removePendingTemporaryFiles,
  WriteError,
  writeFileAtomic,
  writeFileAtomicSync,
  writeStreamAtomic,
} from './index.js';

// The file system is watched (open's path and flags, fsync) and, for the disk-full cases, its writes cut
// short; the "random" bytes of a temporary name can be chosen, to plant a file where it will be made.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    writeSync: vi.fn(real.writeSync),
    openSync: vi.fn(real.openSync),
    fsyncSync: vi.fn(real.fsyncSync),
  };
});
const realFs = await vi.importActual<typeof import('node:fs')>('node:fs');
const fixedRandom = vi.hoisted(() => ({ bytes: [] as Buffer[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  const randomBytes = (size: number) =>
    fixedRandom.bytes.shift()?.subarray(0, size) ?? crypto.randomBytes(size);
  return { ...crypto, randomBytes };
});
afterEach(() => {
  fixedRandom.bytes = [];
  vi.mocked(fs.writeSync).mockImplementation(realFs.writeSync as never);
  for (const mocked of [fs.writeSync, fs.openSync, fs.fsyncSync]) vi.mocked(mocked).mockClear();
});

/** writeSync that takes at most `chunk` bytes a call and `room` more bytes in all, then fails as a full disk. */
function disk(chunk: number, room: number): void {
  vi.mocked(fs.writeSync).mockImplementation(((
    fd: number,
    buffer: Uint8Array,
    offset = 0,
    length?: number,
  ) => {
    const count = Math.min(length ?? buffer.length - offset, chunk, room);
    if (count === 0)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    room -= count;
    return realFs.writeSync(fd, buffer, offset, count);
  }) as never);
}

const folder = () => tempDirSync('fs-atomic');
const temporaries = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.tmp'));

describe('atomic writes', () => {
  it('replace the file whole, creating its folder, and leave no temporary file', async () => {
    const dir = folder();
    const path = join(dir, 'sub', 'a.txt');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, ['new ', Uint8Array.from([104, 105])]);
    expect(readFileSync(path, 'utf8')).toBe('new hi');
    writeFileAtomicSync(path, Buffer.from('sync'));
    expect(readFileSync(path, 'utf8')).toBe('sync');
    await writeStreamAtomic(path, async (write) => {
      await write('a,b\n');
      await write(Uint8Array.from([49, 44, 50, 10]));
    });
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.txt']);
    expect(removePendingTemporaryFiles()).toBe(0);
  });

  it('open an unpredictable name beside the target (96 random bits) with exclusive create, and fsync it', () => {
    const dir = folder();
    writeFileAtomicSync(join(dir, 'net.ckpt'), 'a');
    writeFileAtomicSync(join(dir, 'net.ckpt'), 'b');
    const opens = vi.mocked(fs.openSync).mock.calls.map(([path, flags]) => ({ path: String(path), flags }));
    expect(opens.map(({ flags }) => flags)).toEqual(['wx', 'wx']);
    for (const { path } of opens) {
      expect(path).toMatch(/[/\\]\.net\.ckpt\.[0-9a-f]{24}\.tmp$/);
      expect(path).not.toContain(String(process.pid));
    }
    expect(opens[0].path).not.toBe(opens[1].path);
    expect(vi.mocked(fs.fsyncSync)).toHaveBeenCalledTimes(2);
  });

  it('keep the old file when the producer fails midway; its error passes unchanged', async () => {
    const dir = folder();
    const path = join(dir, 'b.txt');
    writeFileSync(path, 'old');
    const failing = writeStreamAtomic(path, async (write) => {
      await write('partial');
      throw new Error('producer failed');
    });
    await expect(failing).rejects.toThrow(/^producer failed$/);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['b.txt']);
    expect(removePendingTemporaryFiles()).toBe(0); // forgotten on failure as well as on success
  });

  it('write every byte when the system takes them a few at a time', async () => {
    const dir = folder();
    disk(4096, Number.POSITIVE_INFINITY);
    await writeFileAtomic(join(dir, 'a.bin'), Buffer.alloc(10_000, 7));
    expect(readFileSync(join(dir, 'a.bin'))).toEqual(Buffer.alloc(10_000, 7));
    expect(vi.mocked(fs.writeSync).mock.calls.length).toBe(3);
  });

  it('on a full disk: one line naming the file, the old file kept, the temporary file removed', async () => {
    const dir = folder();
    const path = join(dir, 'e.bin');
    writeFileSync(path, 'old');
    const fresh = join(dir, 'new.bin');
    const attempts: [string, () => unknown][] = [
      [path, () => writeFileAtomicSync(path, new Uint8Array(10_000))],
      [path, () => writeFileAtomic(path, new Uint8Array(10_000))],
      [path, () => writeStreamAtomic(path, async (write) => write(new Uint8Array(10_000)))],
      [fresh, () => createFileAtomicSync(fresh, new Uint8Array(10_000))],
    ];
    for (const [target, attempt] of attempts) {
      disk(4096, 4096);
      const error = await Promise.resolve()
        .then(attempt)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WriteError);
      expect(error).toMatchObject({
        message: `${target}: cannot write (ENOSPC: no space left on device)`,
        code: 'ENOSPC',
        reason: 'ENOSPC: no space left on device',
      });
    }
    expect(readdirSync(dir)).toEqual(['e.bin']);
    expect(readFileSync(path, 'utf8')).toBe('old');
  });

  it('fail (not spin) when a write takes no bytes', () => {
    const dir = folder();
    vi.mocked(fs.writeSync).mockImplementation((() => 0) as never);
    expect(() => writeFileAtomicSync(join(dir, 'g.txt'), 'x')).toThrow(
      `${join(dir, 'g.txt')}: cannot write (ENOSPC: no space left on device)`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never follow a symlink planted at the temporary name: the write fails, the link target is untouched', () => {
    const dir = folder();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    fixedRandom.bytes = Array.from({ length: 4 }, () => Buffer.alloc(12, 0xab));
    const planted = `.h.txt.${'ab'.repeat(12)}.tmp`;
    symlinkSync(victim, join(dir, planted));
    expect(() => writeFileAtomicSync(join(dir, 'h.txt'), 'attack')).toThrow(
      `${join(dir, 'h.txt')}: cannot write (EEXIST: no fresh temporary file could be created)`,
    );
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readdirSync(dir).sort()).toEqual([planted, 'victim.txt'].sort());
  });

  it('try a fresh name when the first one is taken, leaving what stood there alone', () => {
    const dir = folder();
    const leftover = join(dir, `.i.txt.${'cd'.repeat(12)}.tmp`);
    writeFileSync(leftover, 'not ours');
    fixedRandom.bytes = [Buffer.alloc(12, 0xcd)];
    writeFileAtomicSync(join(dir, 'i.txt'), 'one');
    expect(readFileSync(join(dir, 'i.txt'), 'utf8')).toBe('one');
    expect(readFileSync(leftover, 'utf8')).toBe('not ours');
    expect(vi.mocked(fs.openSync)).toHaveBeenCalledTimes(2);
  });

  it('name the target when a file stands where its folder should be', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'file'), 'in the way');
    await expect(writeFileAtomic(join(dir, 'file', 'j.txt'), 'x')).rejects.toThrow(
      `${join(dir, 'file', 'j.txt')}: cannot write (a file stands where a folder of the path should be)`,
    );
  });

  it('with createFolders false, never make a missing folder', () => {
    const missing = join(folder(), 'gone', 'x.txt');
    expect(() => writeFileAtomicSync(missing, 'x', { createFolders: false })).toThrow(
      `${missing}: cannot write (ENOENT: the folder or the temporary file disappeared)`,
    );
  });

  it('remove the temporary file when the rename fails (a folder at the target)', () => {
    const dir = folder();
    const target = join(dir, 'report.html');
    mkdirSync(target);
    writeFileSync(join(target, 'inside.txt'), 'old');
    expect(() => writeFileAtomicSync(target, 'new')).toThrow(
      expect.objectContaining({
        name: 'WriteError',
        message: expect.stringMatching(/report\.html: cannot write \(E/),
      }),
    );
    expect(readdirSync(dir)).toEqual(['report.html']);
    expect(readFileSync(join(target, 'inside.txt'), 'utf8')).toBe('old');
  });

  it('escape control characters of the path in the message', () => {
    const dir = folder();
    writeFileSync(join(dir, 'file'), 'in the way');
    expect(() => writeFileAtomicSync(join(dir, 'file', 'a\u001b[31m.txt'), 'x')).toThrow(
      `${join(dir, 'file')}/a\\u001b[31m.txt: cannot write`,
    );
  });
});

describe('createFileAtomicSync', () => {
  it('creates a file once; a second creation leaves the first contents and no temporary file', () => {
    const dir = folder();
    const path = join(dir, 'run.json');
    expect(createFileAtomicSync(path, 'first')).toBe(true);
    expect(createFileAtomicSync(path, 'second')).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('first');
    expect(readdirSync(dir)).toEqual(['run.json']);
    expect(temporaries(dir)).toEqual([]);
  });
});
