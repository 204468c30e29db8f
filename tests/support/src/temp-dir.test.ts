import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir, tempDirSync } from './temp-dir.js';

describe('tempDir', () => {
  it('makes a fresh empty folder under the OS temp dir, named by the prefix, different on every call', async () => {
    const one = await tempDir('fixture');
    const two = tempDirSync('fixture');
    expect(one).not.toBe(two);
    for (const dir of [one, two]) {
      expect(dirname(dir)).toBe(tmpdir());
      expect(basename(dir)).toMatch(/^bpl-fixture-.{6}$/);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('removes every folder it made, contents included, and nothing else', async () => {
    const withFile = await tempDir('fixture');
    writeFileSync(join(withFile, 'x.txt'), 'x');
    const withTree = tempDirSync('fixture');
    mkdirSync(join(withTree, 'a', 'b'), { recursive: true });
    const outsider = await mkdtemp(join(tmpdir(), 'bpl-outsider-'));
    try {
      await removeTempDirs();
      expect(existsSync(withFile)).toBe(false);
      expect(existsSync(withTree)).toBe(false);
      expect(existsSync(outsider)).toBe(true);
    } finally {
      await rm(outsider, { recursive: true, force: true });
    }
  });
});
