import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { removePendingTemporaryFiles, writeStreamAtomic } from './index.js';

describe('temporary files of writes in progress', () => {
  it('removePendingTemporaryFiles deletes the temporary file of a stream in progress, which then fails', async () => {
    const dir = await tempDir('fs-atomic-pending');
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

  it('leave no temporary file and no target when the process exits mid-stream', async () => {
    const scriptDir = await tempDir('fs-atomic-child');
    const outDir = await tempDir('fs-atomic-out');
    const script = join(scriptDir, 'child.mts');
    // The child starts a streamed write that never finishes and a 16 MB whole-file write, waits until both
    // temporary files exist, reports them and exits (as a second Ctrl-C in `pnpm train` does).
    await writeFile(
      script,
      `import { readdirSync } from 'node:fs';
import { join } from 'node:path';
const { writeFileAtomic, writeStreamAtomic } = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});
const dir = process.argv[2];
void writeStreamAtomic(join(dir, 'streamed.csv'), async (write) => {
  await write('x'.repeat(1 << 20));
  await new Promise(() => {});
});
void writeFileAtomic(join(dir, 'whole.bin'), [new Uint8Array(8 << 20), new Uint8Array(8 << 20)]);
const poll = () => {
  const temporaries = readdirSync(dir).filter((name) => name.endsWith('.tmp'));
  if (temporaries.length < 2) return void setImmediate(poll);
  console.log(JSON.stringify(temporaries));
  process.exit(3);
};
poll();
`,
    );
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
});
