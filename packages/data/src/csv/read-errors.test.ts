import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { type ReadCsvOptions, readCsvDataset } from './read-csv.js';

const fixtures = new URL('../../test-fixtures/', import.meta.url).pathname;

interface Case {
  file: string;
  line: number;
  column: number;
  message: RegExp;
  options?: ReadCsvOptions;
}

const CASES: Case[] = [
  { file: 'empty.csv', line: 1, column: 1, message: /the file is empty/ },
  { file: 'header-only.csv', line: 2, column: 1, message: /no data rows/ },
  { file: 'missing-label.csv', line: 1, column: 1, message: /no "label" column/ },
  {
    file: 'duplicate-header.csv',
    line: 1,
    column: 4,
    message: /duplicate column name "a" \(also column 2\)/,
  },
  { file: 'wrong-field-count.csv', line: 4, column: 4, message: /the row has 3 fields but the header has 4/ },
  { file: 'extra-field.csv', line: 5, column: 5, message: /the row has 5 fields but the header has 4/ },
  { file: 'non-numeric.csv', line: 6, column: 3, message: /column 3 \(b\): "abc" is not a number/ },
  { file: 'empty-value.csv', line: 3, column: 3, message: /column 3 \(b\): the value is empty/ },
  {
    file: 'out-of-range.csv',
    line: 7,
    column: 3,
    message: /value 256 is outside featureRange \[0, 255\]/,
    options: { featureRange: [0, 255] },
  },
  { file: 'label-not-integer.csv', line: 3, column: 1, message: /label "2.5" is not an integer/ },
  {
    file: 'label-out-of-range.csv',
    line: 5,
    column: 3,
    message: /column 3 \(label\): label 3 is out of range: labels must be in 0..2 \(numClasses 3\)/,
    options: { numClasses: 3 },
  },
  { file: 'label-negative.csv', line: 3, column: 1, message: /label -1 is out of range/ },
  {
    file: 'blank-line-with-space.csv',
    line: 5,
    column: 2,
    message: /the row has 1 field but the header has 4/,
  },
];

async function readError(path: string, options: ReadCsvOptions): Promise<DataError> {
  try {
    await readCsvDataset(path, options);
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to fail`);
}

describe('readCsvDataset on malformed files', () => {
  for (const { file, line, column, message, options } of CASES) {
    it(`${file}: line ${line}, column ${column}, same from one thread and from two workers`, async () => {
      const path = join(fixtures, file);
      const sequential = await readError(path, { ...options, workers: 0 });
      expect(sequential.file).toBe(path);
      expect(sequential.line).toBe(line);
      expect(sequential.column).toBe(column);
      expect(sequential.message).toMatch(message);
      expect(sequential.message.startsWith(`${path}, line ${line}, column ${column}`)).toBe(true);
      const parallel = await readError(path, { ...options, workers: 2 });
      expect(parallel.message).toBe(sequential.message);
      expect([parallel.file, parallel.line, parallel.column]).toEqual([path, line, column]);
    });
  }

  it('reports the first error in file order when both workers find one', async () => {
    const dir = await tempDir('errors');
    const rows = Array.from({ length: 200 }, (_, i) => (i === 150 || i === 20 ? `1,x${i},2` : `1,${i},2`));
    const path = join(dir, 'two-errors.csv');
    await writeFile(path, `label,a,b\n${rows.join('\n')}\n`);
    for (const workers of [0, 2, 3]) {
      const error = await readError(path, { workers });
      expect([error.line, error.column, error.detail]).toEqual([22, 2, '"x20" is not a number']);
    }
  });

  it('says a binary file is not a text CSV, with the byte offset', async () => {
    const dir = await tempDir('binary');
    const cases: [Uint8Array, string][] = [
      [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'invalid UTF-8 at byte offset 0'],
      [Buffer.from('label,a\n0,1\n2,\u0000\n'), 'NUL byte at byte offset 14'],
      [
        Buffer.concat([Buffer.from('label,caf'), Uint8Array.from([0xe9]), Buffer.from('\n0,1\n')]),
        'invalid UTF-8 at byte offset 9',
      ],
    ];
    for (const [index, [bytes, detail]] of cases.entries()) {
      const path = join(dir, `${index}.csv`);
      await writeFile(path, bytes);
      const error = await readError(path, {});
      expect(error.message).toBe(`${path}: not a text CSV: ${detail}`);
    }
    // U+FFFD written as text is text, not a decoding failure.
    await writeFile(join(dir, 'fffd.csv'), 'label,\uFFFD\n0,1\n');
    expect((await readCsvDataset(join(dir, 'fffd.csv'))).featureNames).toEqual(['\uFFFD']);
  });

  it('escapes names and values that would drive a terminal', async () => {
    const dir = await tempDir('escape');
    const path = join(dir, 'x.csv');
    await writeFile(path, 'label,\u001b]0;pwned\u0007,b\u202e\n0,\u009b1m,1\n');
    const error = await readError(path, {});
    expect(error.message).toBe(
      `${path}, line 2, column 2 (\\u001b]0;pwned\\u0007): "\\u009b1m" is not a number`,
    );
    await writeFile(path, 'lab\u001bel,a\n0,1\n');
    expect((await readError(path, {})).message).toMatch(/\(columns: "lab\\u001bel","a"\)$/);
  });

  it('refuses a float32 overflow (it would be stored as Infinity) and 1e309 in any dtype', async () => {
    const dir = await tempDir('f32');
    const path = join(dir, 'big.csv');
    await writeFile(path, 'label,a\n0,1e39\n');
    expect((await readCsvDataset(path, { dtype: 'float64' })).X.data[0]).toBe(1e39);
    expect((await readError(path, { dtype: 'float32' })).message).toBe(
      `${path}, line 2, column 2 (a): value 1e39 does not fit in float32 (use dtype float64)`,
    );
    await writeFile(path, 'label,a\n0,-1e309\n');
    expect((await readError(path, { dtype: 'float64' })).detail).toBe('"-1e309" is not a number');
  });
});
