import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@backprop-lab/test-support';
import { beforeEach, describe, expect, it } from 'vitest';
import { readCsvDataset } from './csv/read-csv.js';

let dir: string;
let csv: string;
const TEXT = 'label,a,b\n0,1,2\n1,3,4\n2,5,6\n';

/** Sets a whole-second mtime, so the same value can be put back after an edit (Dates drop sub-ms digits). */
async function pinMtime(path: string): Promise<void> {
  await utimes(path, 1_700_000_000, 1_700_000_000);
}

beforeEach(async () => {
  dir = await tempDir('cache');
  csv = join(dir, 'small.csv');
  await writeFile(csv, TEXT);
});

describe('the binary cache', () => {
  it('is written after the first parse and read (not parsed) on the next load', async () => {
    const first = await readCsvDataset(csv, { cache: true });
    expect(first.fromCache).toBe(false);
    expect(first.cacheFile).toMatch(/\.cache\/small\.csv\.[0-9a-f]{16}\.bin$/);
    expect((await stat(first.cacheFile!)).isFile()).toBe(true);
    const second = await readCsvDataset(csv, { cache: true });
    expect(second.fromCache).toBe(true);
    expect(Array.from(second.X.data)).toEqual(Array.from(first.X.data));
    expect(second.X.shape).toEqual([3, 2]);
    expect(Array.from(second.y)).toEqual([0, 1, 2]);
    expect(second.featureNames).toEqual(['a', 'b']);
    expect(second.numClasses).toBe(3);
    // Only the cache file is left in the folder: no temporary file.
    expect(await readdir(join(dir, '.cache'))).toHaveLength(1);
  });

  it('is not used once the CSV changes, even with the same size and mtime', async () => {
    await pinMtime(csv);
    await readCsvDataset(csv, { cache: true });
    await writeFile(csv, TEXT.replace('5,6', '7,8'));
    await pinMtime(csv);
    const changed = await readCsvDataset(csv, { cache: true });
    expect(changed.fromCache).toBe(false);
    expect(Array.from(changed.X.data)).toEqual([1, 2, 3, 4, 7, 8]);
    expect((await readCsvDataset(csv, { cache: true })).fromCache).toBe(true);
  });

  it('does not parse on a hit: a middle edit that keeps size, mtime, head and tail goes unseen (documented)', async () => {
    // 3000 rows of ~60 bytes: more than the 64 KiB head and tail the fingerprint hashes.
    const rows = Array.from(
      { length: 3000 },
      (_, i) => `${i % 3},${String(i).padStart(28, '0')},${'7'.repeat(28)}`,
    );
    const big = join(dir, 'big.csv');
    await writeFile(big, `label,a,b\n${rows.join('\n')}\n`);
    await pinMtime(big);
    const first = await readCsvDataset(big, { cache: true });
    rows[1500] = `0,${'1'.repeat(28)},${'7'.repeat(28)}`;
    await writeFile(big, `label,a,b\n${rows.join('\n')}\n`);
    await pinMtime(big);
    const hit = await readCsvDataset(big, { cache: true });
    expect(hit.fromCache).toBe(true);
    expect(hit.X.data[1500 * 2]).toBe(first.X.data[1500 * 2]);
    expect(hit.X.data[1500 * 2]).toBe(1500);
  });

  it('keeps one entry per output-changing option set (dtype, maxRows, ...)', async () => {
    const a = await readCsvDataset(csv, { cache: true, dtype: 'float32' });
    const b = await readCsvDataset(csv, { cache: true, maxRows: 2 });
    expect(a.cacheFile).not.toBe(b.cacheFile);
    const again = await readCsvDataset(csv, { cache: true, dtype: 'float32' });
    expect(again.fromCache).toBe(true);
    expect(again.X.data).toBeInstanceOf(Float32Array);
    expect((await readCsvDataset(csv, { cache: true, maxRows: 2 })).X.shape).toEqual([2, 2]);
  });

  it('notices a new class-names sidecar', async () => {
    await readCsvDataset(csv, { cache: true });
    await writeFile(join(dir, 'small.classes.txt'), 'x\ny\nz\n');
    const named = await readCsvDataset(csv, { cache: true });
    expect(named.fromCache).toBe(false);
    expect(named.classNames).toEqual(['x', 'y', 'z']);
    expect((await readCsvDataset(csv, { cache: true })).classNames).toEqual(['x', 'y', 'z']);
  });

  it('goes into a folder of our choice, and a damaged cache file is a miss that gets rewritten', async () => {
    const folder = join(dir, 'elsewhere');
    const first = await readCsvDataset(csv, { cache: folder });
    expect(first.cacheFile!.startsWith(folder)).toBe(true);
    const bytes = await readFile(first.cacheFile!);
    await writeFile(first.cacheFile!, bytes.subarray(0, bytes.length - 3));
    const damaged = await readCsvDataset(csv, { cache: folder });
    expect(damaged.fromCache).toBe(false);
    expect((await readFile(first.cacheFile!)).length).toBe(bytes.length);
    expect((await readCsvDataset(csv, { cache: folder })).fromCache).toBe(true);
  });
});
