import { execFileSync } from 'node:child_process';
import { readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { tempDir } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { readCsvDataset } from './csv/read-csv.js';
import { defaultDatasetDir, ensureDefaultDataset, staleReason } from './default-dataset.js';

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
    await rm(manifestPath);
    execFileSync('mkfifo', [manifestPath]); // must not wait for a writer
    expect(await staleReason(dir)).toBe('no readable manifest (first use)');
  });
});

describe('defaultDatasetDir', () => {
  const checkout = 'file:///work/repo/packages/data/src/default-dataset.ts';
  const installed = 'file:///home/u/app/node_modules/@backprop-lab/data/dist/default-dataset.js';
  const pnpmStore =
    'file:///home/u/app/node_modules/.pnpm/@backprop-lab+data@0.1.0/node_modules/@backprop-lab/data/dist/x.js';

  it("is a checkout's datasets/ folder, and never inside an installed package", () => {
    expect(defaultDatasetDir({}, checkout)).toBe('/work/repo/datasets/');
    const home = join(homedir(), '.cache', 'backprop-lab', 'datasets');
    expect(defaultDatasetDir({}, installed)).toBe(home);
    expect(defaultDatasetDir({}, pnpmStore)).toBe(home);
    expect(defaultDatasetDir({ XDG_CACHE_HOME: '/xdg' }, installed)).toBe('/xdg/backprop-lab/datasets');
    // A relative XDG_CACHE_HOME is invalid by the spec: ignored.
    expect(defaultDatasetDir({ XDG_CACHE_HOME: 'rel' }, installed)).toBe(home);
  });

  it('is BACKPROP_LAB_DATA_DIR when set, wherever the package is', () => {
    for (const url of [checkout, installed])
      expect(defaultDatasetDir({ BACKPROP_LAB_DATA_DIR: '/data/bpl', XDG_CACHE_HOME: '/xdg' }, url)).toBe(
        '/data/bpl',
      );
  });
});
