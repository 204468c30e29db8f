import { spawnSync } from 'node:child_process';
import { mkdir, open, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@backprop-lab/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { removePendingTemporaryFiles, WriteError, writeFileAtomic, writeStreamAtomic } from './atomic.js';

// Lets a test choose the "random" bytes of the temporary name, to plant a file where it will be made.
const fixedRandom = vi.hoisted(() => ({ bytes: [] as Buffer[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  const randomBytes = (size: number) =>
    fixedRandom.bytes.shift()?.subarray(0, size) ?? crypto.randomBytes(size);
  return { ...crypto, randomBytes };
});
afterEach(() => {
  fixedRandom.bytes = [];
  vi.restoreAllMocks();
});

/** The FileHandle class, whose methods the disk-full tests replace. */
async function fileHandlePrototype(dir: string): Promise<object> {
  const probe = await open(join(dir, 'probe'), 'w');
  await probe.close();
  await rm(join(dir, 'probe'));
  return Object.getPrototypeOf(probe);
}

describe('atomic writes', () => {
  it('replace the file whole and leave no temporary file', async () => {
    const dir = await tempDir('atomic');
    const path = join(dir, 'sub', 'a.txt');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, 'new ', Uint8Array.from([104, 105]));
    expect(await readFile(path, 'utf8')).toBe('new hi');
    expect(await readdir(join(dir, 'sub'))).toEqual(['a.txt']);
  });

  it('keep the old file when the producer fails midway', async () => {
    const dir = await tempDir('atomic');
    const path = join(dir, 'b.txt');
    await writeFile(path, 'old');
    const failing = writeStreamAtomic(path, async (write) => {
      await write('partial');
      throw new Error('producer failed');
    });
    await expect(failing).rejects.toThrow('producer failed');
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['b.txt']);
    expect(removePendingTemporaryFiles()).toBe(0); // deregistered on failure as well as on success
  });

  it('fsync the streamed file before renaming it', async () => {
    const dir = await tempDir('atomic');
    const probe = await open(join(dir, 'probe'), 'w');
    const fileHandlePrototype = Object.getPrototypeOf(probe);
    await probe.close();
    const sync = vi.spyOn(fileHandlePrototype, 'sync');
    try {
      await writeStreamAtomic(join(dir, 'c.txt'), async (write) => {
        await write('a,b\n');
        await write(Uint8Array.from([49, 44, 50, 10]));
      });
      expect(sync).toHaveBeenCalledTimes(1);
    } finally {
      sync.mockRestore();
    }
    expect(await readFile(join(dir, 'c.txt'), 'utf8')).toBe('a,b\n1,2\n');
  });

  it('removePendingTemporaryFiles deletes the temporary file of a write in progress, which then fails', async () => {
    const dir = await tempDir('atomic');
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = () => {};
    const writing = new Promise<void>((resolve) => {
      started = resolve;
    });
    const pendingWrite = writeStreamAtomic(join(dir, 'd.txt'), async (write) => {
      await write('first part\n');
      started();
      await gate;
      await write('second part\n');
    });
    await writing;
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toHaveLength(1);
    expect(removePendingTemporaryFiles()).toBe(1);
    expect(await readdir(dir)).toEqual([]);
    release();
    await expect(pendingWrite).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('leave no temporary file and no target when the process exits mid-write', async () => {
    const scriptDir = await tempDir('atomic-child');
    const outDir = await tempDir('atomic-out');
    const script = join(scriptDir, 'child.mts');
    // The child starts a streamed write that never finishes and a 16 MB whole-file write, waits until both
    // temporary files exist, reports them and exits (as a second Ctrl-C in `pnpm train` does).
    await writeFile(
      script,
      `import { readdirSync } from 'node:fs';
import { join } from 'node:path';
const { writeFileAtomic, writeStreamAtomic } = await import(${JSON.stringify(new URL('./atomic.ts', import.meta.url).href)});
const dir = process.argv[2];
void writeStreamAtomic(join(dir, 'streamed.csv'), async (write) => {
  await write('x'.repeat(1 << 20));
  await new Promise(() => {});
});
void writeFileAtomic(join(dir, 'whole.bin'), new Uint8Array(16 << 20));
const poll = () => {
  const temporaries = readdirSync(dir).filter((name) => name.endsWith('.tmp'));
  if (temporaries.length < 2) return void setImmediate(poll);
  console.log(JSON.stringify(temporaries));
  process.exit(3);
};
poll();
`,
    );
    await mkdir(outDir, { recursive: true });
    const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;
    const child = spawnSync(tsx, [script, outDir], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(3);
    const seen: string[] = JSON.parse(child.stdout);
    expect(seen.sort()).toEqual([
      expect.stringMatching(/^\.streamed\.csv\.[0-9a-f]{24}\.tmp$/),
      expect.stringMatching(/^\.whole\.bin\.[0-9a-f]{24}\.tmp$/),
    ]);
    expect(await readdir(outDir)).toEqual([]);
  });

  it('fail in one line on a full disk, remove the temporary file and keep the old target', async () => {
    const dir = await tempDir('atomic-full');
    const path = join(dir, 'e.bin');
    await writeFile(path, 'old');
    const prototype = await fileHandlePrototype(dir);
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    vi.spyOn(prototype as { write: () => Promise<unknown> }, 'write').mockRejectedValue(full);
    // One write at a time: started together, the second could reject before anything awaits it (an
    // unhandled rejection, which fails the run even though the test would pass).
    for (const attempt of [
      () => writeFileAtomic(path, new Uint8Array(1000)),
      () => writeStreamAtomic(path, async (write) => write('a,b\n')),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WriteError);
      expect((error as WriteError).message).toBe(
        `${path}: cannot write (ENOSPC: no space left on the device)`,
      );
    }
    expect(await readdir(dir)).toEqual(['e.bin']);
    expect(await readFile(path, 'utf8')).toBe('old');
  });

  it('loop over partial writes, and fail (not spin) when a write takes no bytes', async () => {
    const dir = await tempDir('atomic-short');
    const prototype = (await fileHandlePrototype(dir)) as {
      write: (b: Uint8Array, o: number, l: number) => Promise<{ bytesWritten: number }>;
    };
    const realWrite = prototype.write;
    // At most 3 bytes per call: the whole text must still arrive.
    const short = vi.spyOn(prototype, 'write').mockImplementation(function (this: unknown, b, o, l) {
      return realWrite.call(this, b, o, Math.min(l, 3));
    });
    await writeFileAtomic(join(dir, 'f.txt'), 'hello, world');
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('hello, world');
    expect(short.mock.calls.length).toBe(4);
    short.mockResolvedValue({ bytesWritten: 0 });
    await expect(writeFileAtomic(join(dir, 'g.txt'), 'x')).rejects.toThrow(
      `${join(dir, 'g.txt')}: cannot write (ENOSPC: no space left on the device)`,
    );
    expect(await readdir(dir)).toEqual(['f.txt']);
  });

  it('never follow a symlink planted at the temporary name: the write fails, the link target is untouched', async () => {
    const dir = await tempDir('atomic-link');
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'precious');
    fixedRandom.bytes = Array.from({ length: 4 }, () => Buffer.alloc(12, 0xab));
    const planted = join(dir, `.h.txt.${'ab'.repeat(12)}.tmp`);
    await symlink(victim, planted);
    await expect(writeFileAtomic(join(dir, 'h.txt'), 'attack')).rejects.toThrow(
      `${join(dir, 'h.txt')}: cannot write (EEXIST: no fresh temporary file could be created)`,
    );
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await readdir(dir)).sort()).toEqual([planted.slice(dir.length + 1), 'victim.txt'].sort());
  });

  it('try a fresh name when the first one exists, leaving what stood there alone', async () => {
    const dir = await tempDir('atomic-names');
    const leftover = join(dir, `.i.txt.${'cd'.repeat(12)}.tmp`);
    await writeFile(leftover, 'not ours');
    fixedRandom.bytes = [Buffer.alloc(12, 0xcd)];
    await writeFileAtomic(join(dir, 'i.txt'), 'one');
    expect(await readFile(join(dir, 'i.txt'), 'utf8')).toBe('one');
    expect(await readFile(leftover, 'utf8')).toBe('not ours');
    expect(removePendingTemporaryFiles()).toBe(0);
  });

  it('name the target when a file stands where its folder should be', async () => {
    const dir = await tempDir('atomic-mkdir');
    await writeFile(join(dir, 'file'), 'in the way');
    await expect(writeFileAtomic(join(dir, 'file', 'j.txt'), 'x')).rejects.toThrow(
      `${join(dir, 'file', 'j.txt')}: cannot write (a file stands where a folder of the path should be)`,
    );
  });
});
