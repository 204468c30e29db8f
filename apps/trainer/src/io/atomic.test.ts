import * as fs from 'node:fs';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from './atomic.js';

// A disk that fills up is simulated by replacing writeSync (and watching openSync) for one test at a time.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, writeSync: vi.fn(real.writeSync), openSync: vi.fn(real.openSync) };
});
const realFs = await vi.importActual<typeof import('node:fs')>('node:fs');

afterEach(() => {
  vi.mocked(fs.writeSync).mockImplementation(realFs.writeSync as never);
  vi.mocked(fs.writeSync).mockClear();
  vi.mocked(fs.openSync).mockClear();
});

/** writeSync that takes at most `room` more bytes, then fails as a full disk does. */
function diskWithRoom(room: number, chunk = 1000): void {
  vi.mocked(fs.writeSync).mockImplementation(((
    fd: number,
    buffer: Uint8Array,
    offset = 0,
    length?: number,
  ) => {
    const wanted = Math.min(length ?? buffer.length - offset, chunk, room);
    if (wanted === 0)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    room -= wanted;
    return realFs.writeSync(fd, buffer, offset, wanted);
  }) as never);
}

const folder = () => tempDirSync('atomic');

describe('writeFileAtomic', () => {
  it('replaces an existing file, leaving no temp file behind', () => {
    const dir = folder();
    const file = join(dir, 'summary.json');
    writeFileAtomic(file, 'first');
    writeFileAtomic(file, Buffer.from('second'));
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['summary.json']);
  });

  it('writes every byte when the system takes them a few at a time', () => {
    const dir = folder();
    const file = join(dir, 'metrics.csv');
    const text = 'x'.repeat(10_000);
    diskWithRoom(Number.POSITIVE_INFINITY, 4096);
    writeFileAtomic(file, text);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(vi.mocked(fs.writeSync).mock.calls.length).toBe(3);
  });

  it('on a full disk: throws one line naming the file, keeps the old file, removes the temp file', () => {
    const dir = folder();
    const file = join(dir, 'summary.json');
    writeFileSync(file, 'old results');
    diskWithRoom(4096);
    expect(() => writeFileAtomic(file, 'y'.repeat(10_000))).toThrow(
      expect.objectContaining({
        name: 'OutputError',
        message: `cannot write ${file} (ENOSPC: no space left on device)`,
      }),
    );
    expect(readFileSync(file, 'utf8')).toBe('old results');
    expect(readdirSync(dir)).toEqual(['summary.json']);
  });

  it('fails rather than loop when a write makes no progress', () => {
    const dir = folder();
    vi.mocked(fs.writeSync).mockImplementation((() => 0) as never);
    expect(() => writeFileAtomic(join(dir, 'a.txt'), 'abc')).toThrow(/ENOSPC/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('opens an unpredictable temp name with exclusive create', () => {
    const dir = folder();
    writeFileAtomic(join(dir, 'report.html'), 'a');
    writeFileAtomic(join(dir, 'report.html'), 'b');
    const opens = vi.mocked(fs.openSync).mock.calls.map(([path, flags]) => ({ path: String(path), flags }));
    expect(opens).toHaveLength(2);
    for (const { path, flags } of opens) {
      expect(flags).toBe('wx');
      expect(path).toMatch(/[/\\]\.report\.html\.[0-9a-f]{16}\.tmp$/);
      expect(path).not.toContain(String(process.pid));
    }
    expect(opens[0].path).not.toBe(opens[1].path);
  });

  it('removes its temp file and throws an OutputError when the rename fails', () => {
    const dir = folder();
    // A non-empty directory at the target path makes the rename fail after the temp file was written.
    const target = join(dir, 'report.html');
    mkdirSync(target);
    writeFileSync(join(target, 'inside.txt'), 'old');
    expect(() => writeFileAtomic(target, 'new')).toThrow(
      expect.objectContaining({
        name: 'OutputError',
        message: expect.stringMatching(/^cannot write .*report\.html \(E/),
      }),
    );
    expect(readdirSync(dir)).toEqual(['report.html']);
    expect(readFileSync(join(target, 'inside.txt'), 'utf8')).toBe('old');
  });

  it('never writes into a missing folder (the run folder is made and locked first)', () => {
    expect(() => writeFileAtomic(join(folder(), 'gone', 'x.txt'), 'x')).toThrow(/\(ENOENT/);
  });
});
