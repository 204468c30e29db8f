import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, tensor } from '@backprop-lab/tensor';
import { tempDir } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { readCsvDataset } from './csv/read-csv.js';
import { writeCsvDataset, writeCsvRows } from './write-csv.js';

describe('writeCsvDataset', () => {
  it('writes what readCsvDataset reads back bit for bit, with the class-names sidecar', async () => {
    const dir = await tempDir('write');
    const rng = createRng(5);
    const values = Float64Array.from({ length: 40 }, () => rng.normal() * 1e3);
    values[0] = 255;
    values[1] = -0;
    values[2] = 1e-300;
    const X = tensor(values, [10, 4]);
    const y = Int32Array.from({ length: 10 }, (_, i) => i % 3);
    const path = join(dir, 'round.csv');
    await writeCsvDataset(path, { X, y, featureNames: ['a', 'b', 'c', 'd'], classNames: ['x', 'y', 'z'] });
    const back = await readCsvDataset(path);
    expect(Array.from(back.X.data)).toEqual(Array.from(values));
    expect(Array.from(back.y)).toEqual(Array.from(y));
    expect(back.featureNames).toEqual(['a', 'b', 'c', 'd']);
    expect(back.classNames).toEqual(['x', 'y', 'z']);
    expect((await readFile(path, 'utf8')).split('\n')[1].startsWith('0,255,-0,1e-300,')).toBe(true);
  });

  it('leaves no file behind when a row is refused half-way', async () => {
    const dir = await tempDir('write');
    const path = join(dir, 'broken.csv');
    const writing = writeCsvRows(path, ['a', 'b'], async (emit) => {
      await emit(0, [1, 2]);
      await emit(1, [3]);
    });
    await expect(writing).rejects.toThrow(/row 1 has 1 features, the header has 2/);
    expect(await readdir(dir)).toEqual([]);
  });
});
