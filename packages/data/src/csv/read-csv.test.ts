import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIGITS_CSV, tempDir } from '@backprop-lab/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvDataset } from './read-csv.js';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('read');
});

async function csvFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function classCounts(y: Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of y) counts[label]++;
  return counts;
}

describe('readCsvDataset on real data (digits.csv, 64 columns)', () => {
  it.each([0, 2])('gives [1797, 64] and the published class counts (workers: %i)', async (workers) => {
    const data = await readCsvDataset(DIGITS_CSV, { workers, featureRange: [0, 16] });
    expect(data.X.shape).toEqual([1797, 64]);
    expect(data.X.dtype).toBe('float64');
    expect(data.numClasses).toBe(10);
    expect(classCounts(data.y, 10)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(data.featureNames).toEqual(Array.from({ length: 64 }, (_, i) => `p${i}`));
    expect(data.fromCache).toBe(false);
  });

  it('gives the same bytes from one thread and from several workers', async () => {
    const one = await readCsvDataset(DIGITS_CSV, { workers: 0 });
    for (const workers of [2, 4]) {
      const many = await readCsvDataset(DIGITS_CSV, { workers });
      expect(Buffer.from(new Float64Array(many.X.data))).toEqual(Buffer.from(new Float64Array(one.X.data)));
      expect(Array.from(many.y)).toEqual(Array.from(one.y));
    }
  });
});

describe('readCsvDataset format details', () => {
  it('accepts CRLF, a UTF-8 BOM, a trailing newline, blank lines and the label column in the middle', async () => {
    const path = await csvFile('crlf.csv', '\uFEFFa,label,b\r\n1.5,2,-3\r\n\r\n4,0,5e1\r\n');
    for (const workers of [0, 2]) {
      const data = await readCsvDataset(path, { workers });
      expect(data.X.shape).toEqual([2, 2]);
      expect(Array.from(data.X.data)).toEqual([1.5, -3, 4, 50]);
      expect(Array.from(data.y)).toEqual([2, 0]);
      expect(data.featureNames).toEqual(['a', 'b']);
      expect(data.numClasses).toBe(3);
    }
  });

  it('accepts a last row without a newline, quoted header names and quoted numbers', async () => {
    const path = await csvFile('quoted.csv', '"label","x","y"\n"1","2","3"\n0,4,5');
    const data = await readCsvDataset(path);
    expect(Array.from(data.X.data)).toEqual([2, 3, 4, 5]);
    expect(Array.from(data.y)).toEqual([1, 0]);
    expect(data.featureNames).toEqual(['x', 'y']);
  });

  it('accepts integer-valued labels written as decimals, and rejects an empty header name', async () => {
    const path = await csvFile('float-labels.csv', 'label,a\n1.0,5\n2e0,6\n');
    expect(Array.from((await readCsvDataset(path)).y)).toEqual([1, 2]);
    const unnamed = await csvFile('unnamed.csv', 'label,,b\n0,1,2\n');
    await expect(readCsvDataset(unnamed)).rejects.toThrow(
      /unnamed\.csv, line 1, column 2: the header has an empty column name/,
    );
  });

  it('reads another label column by name', async () => {
    const path = await csvFile('target.csv', 'f,target\n7,1\n8,0\n');
    const data = await readCsvDataset(path, { labelColumn: 'target' });
    expect(Array.from(data.X.data)).toEqual([7, 8]);
    expect(Array.from(data.y)).toEqual([1, 0]);
  });

  it('reads a prefix with maxRows, sequentially and with workers', async () => {
    for (const workers of [0, 2, 'auto'] as const) {
      const data = await readCsvDataset(DIGITS_CSV, { maxRows: 10, workers });
      expect(data.X.shape).toEqual([10, 64]);
      expect(Array.from(data.y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('stops at maxRows before a malformed row further on', async () => {
    const path = await csvFile('late-error.csv', 'label,a\n0,1\n1,2\n0,oops\n');
    const data = await readCsvDataset(path, { maxRows: 2 });
    expect(Array.from(data.X.data)).toEqual([1, 2]);
    await expect(readCsvDataset(path, { maxRows: 3 })).rejects.toThrow(/line 4, column 2/);
  });

  it('gives float32 or float64 arrays as asked', async () => {
    const path = await csvFile('precision.csv', 'label,a\n0,0.1\n');
    const wide = await readCsvDataset(path, { dtype: 'float64' });
    const narrow = await readCsvDataset(path, { dtype: 'float32' });
    expect(wide.X.data).toBeInstanceOf(Float64Array);
    expect(narrow.X.data).toBeInstanceOf(Float32Array);
    expect(wide.X.data[0]).toBe(0.1);
    expect(narrow.X.data[0]).toBe(Math.fround(0.1));
  });

  it('takes class names from the sidecar and checks labels against them', async () => {
    const path = await csvFile('named.csv', 'label,a\n0,1\n1,2\n');
    await writeFile(join(dir, 'named.classes.txt'), 'cat\ndog\nbird\n');
    const data = await readCsvDataset(path);
    expect(data.classNames).toEqual(['cat', 'dog', 'bird']);
    expect(data.numClasses).toBe(3);
    await expect(readCsvDataset(path, { numClasses: 2 })).rejects.toThrow(
      /numClasses is 2 but the class-names file/,
    );
    const bad = await csvFile('named-bad.csv', 'label,a\n0,1\n3,2\n');
    await writeFile(join(dir, 'named-bad.classes.txt'), 'cat\ndog\nbird\n');
    await expect(readCsvDataset(bad)).rejects.toThrow(
      /line 3, column 1 \(label\): label 3 is out of range: labels must be in 0..2/,
    );
  });

  it('reports a broken class-names sidecar with its own file and line', async () => {
    const path = await csvFile('dup-names.csv', 'label,a\n0,1\n');
    await writeFile(join(dir, 'dup-names.classes.txt'), 'cat\ndog\ncat\n');
    await expect(readCsvDataset(path)).rejects.toThrow(
      /dup-names\.classes\.txt, line 3, column 1: class name "cat" is repeated/,
    );
  });
});

describe('readCsvDataset options', () => {
  it('rejects unknown options and bad values, naming them', async () => {
    await expect(readCsvDataset(DIGITS_CSV, { maxrows: 5 } as never)).rejects.toThrow(
      /readCsvDataset: unknown option 'maxrows'/,
    );
    await expect(readCsvDataset(DIGITS_CSV, { dtype: 'int8' as never })).rejects.toThrow(
      /dtype must be 'float32' or 'float64', got int8/,
    );
    await expect(readCsvDataset(DIGITS_CSV, { maxRows: 0 })).rejects.toThrow(
      /maxRows must be an integer >= 1, got 0/,
    );
    await expect(readCsvDataset(DIGITS_CSV, { featureRange: [5, 1] })).rejects.toThrow(
      /featureRange must be \[min, max\]/,
    );
    await expect(readCsvDataset(DIGITS_CSV, { workers: -1 })).rejects.toThrow(
      /workers must be an integer >= 0/,
    );
    await expect(readCsvDataset(DIGITS_CSV, { cache: 3 as never })).rejects.toThrow(
      /cache must be true, false or a folder/,
    );
  });

  it('reports a missing file in one DataError line naming the path', async () => {
    await expect(readCsvDataset(join(dir, 'nope.csv'))).rejects.toThrow(
      new RegExp(`^${join(dir, 'nope.csv')}: no such file or folder$`),
    );
  });
});
