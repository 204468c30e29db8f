import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { readCsvDataset } from './csv/read-csv.js';
import { ensureDefaultDataset, staleReason } from './default-dataset.js';

describe('ensureDefaultDataset', () => {
  it('generates the splits once, reuses them, and regenerates a damaged one', async () => {
    const dir = await tempDir('default');
    expect(await staleReason(dir)).toBe('no readable manifest (first use)');
    const first = await ensureDefaultDataset(dir);
    expect(first.generated).toBe(true);
    expect(first.train).toBe(join(dir, 'synthetic-train.csv'));
    const val = await readCsvDataset(first.val, { featureRange: [0, 255] });
    expect(val.X.shape).toEqual([1000, 3072]);
    expect(val.classNames).toHaveLength(10);
    expect((await readCsvDataset(first.train, { maxRows: 3 })).X.shape).toEqual([3, 3072]);

    const trainMtime = (await stat(first.train)).mtimeMs;
    const second = await ensureDefaultDataset(dir);
    expect(second.generated).toBe(false);
    expect((await stat(first.train)).mtimeMs).toBe(trainMtime);

    const testBytes = await readFile(first.test);
    await truncate(first.test, 1000);
    expect(await staleReason(dir)).toMatch(/synthetic-test\.csv changed since it was generated/);
    const third = await ensureDefaultDataset(dir);
    expect(third.generated).toBe(true);
    expect((await readFile(first.test)).equals(testBytes)).toBe(true);

    const manifestPath = join(dir, '.cache', 'synthetic-manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    await writeFile(manifestPath, JSON.stringify({ ...manifest, version: 0 }));
    expect(await staleReason(dir)).toMatch(/generator version 0 is not the current/);
  });
});
