import { spawnSync } from 'node:child_process';
import { mkdir, open, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@backprop-lab/test-support';
import { describe, expect, it, vi } from 'vitest';
import { removePendingTemporaryFiles, writeFileAtomic, writeStreamAtomic } from './atomic.js';

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
      expect.stringMatching(/^\.streamed\.csv\.\d+\.[0-9a-f]{8}\.tmp$/),
      expect.stringMatching(/^\.whole\.bin\.\d+\.[0-9a-f]{8}\.tmp$/),
    ]);
    expect(await readdir(outDir)).toEqual([]);
  });
});
