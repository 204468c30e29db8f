import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeStreamAtomic } from './atomic.js';

const tempDirs: string[] = [];
/** A fresh folder under the OS temp dir, removed after this file's tests. */
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `bpl-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

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
  });
});
