import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@backprop-lab/test-support';
import { beforeEach, describe, expect, it } from 'vitest';
import { CIFAR_RECORD_BYTES, cifarBatchFiles, convertCifarBinary } from './cifar-binary.js';
import { readCsvDataset } from './csv/read-csv.js';
import { DataError } from './errors.js';

/** `count` records; record r has label r % 10 and pixel k = (r · 7 + k) mod 256. */
function batch(count: number, first = 0): Buffer {
  const bytes = Buffer.alloc(count * CIFAR_RECORD_BYTES);
  for (let r = 0; r < count; r++) {
    const at = r * CIFAR_RECORD_BYTES;
    bytes[at] = (first + r) % 10;
    for (let k = 0; k < 3072; k++) bytes[at + 1 + k] = ((first + r) * 7 + k) % 256;
  }
  return bytes;
}

let dir: string;
const NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

beforeEach(async () => {
  dir = await tempDir('cifar');
  await mkdir(join(dir, 'cifar-10-batches-bin'));
});

describe('convertCifarBinary', () => {
  it('round-trips every byte: binary batches → CSV → readCsvDataset', async () => {
    const source = join(dir, 'cifar-10-batches-bin');
    await writeFile(join(source, 'data_batch_2.bin'), batch(5, 7));
    await writeFile(join(source, 'data_batch_1.bin'), batch(7));
    await writeFile(join(source, 'test_batch.bin'), batch(3, 100));
    // CIFAR-10's own meta file ends with blank lines.
    await writeFile(join(source, 'batches.meta.txt'), `${NAMES.join('\n')}\n\n`);
    const out = join(dir, 'cifar-train.csv');
    const result = await convertCifarBinary([source], out);
    expect(result.files.map((f) => f.split('/').pop())).toEqual(['data_batch_1.bin', 'data_batch_2.bin']);
    expect(result.rows).toBe(12);
    expect(result.classNames).toEqual(NAMES);

    const data = await readCsvDataset(out, { featureRange: [0, 255] });
    expect(data.X.shape).toEqual([12, 3072]);
    expect(data.classNames).toEqual(NAMES);
    const expected = Buffer.concat([batch(7), batch(5, 7)]);
    for (let r = 0; r < 12; r++) {
      expect(data.y[r]).toBe(expected[r * CIFAR_RECORD_BYTES]);
      const row = Uint8Array.from(data.X.data.subarray(r * 3072, (r + 1) * 3072));
      expect(
        Buffer.from(row).equals(expected.subarray(r * CIFAR_RECORD_BYTES + 1, (r + 1) * CIFAR_RECORD_BYTES)),
      ).toBe(true);
    }
    const header = (await readFile(out, 'utf8')).split('\n', 1)[0];
    expect(header.startsWith('label,p0,p1,')).toBe(true);
    expect(header.endsWith(',p3071')).toBe(true);
  });

  it('converts a file named explicitly (the test batch), without class names when there is no meta file', async () => {
    const file = join(dir, 'test_batch.bin');
    await writeFile(file, batch(4));
    const out = join(dir, 'test.csv');
    const result = await convertCifarBinary([file], out);
    expect(result).toEqual({ files: [file], rows: 4 });
    expect(await readdir(dir)).not.toContain('test.classes.txt');
  });

  it('reports a cut record and a bad label byte with file, record and byte, writing nothing', async () => {
    const cut = join(dir, 'cut.bin');
    await writeFile(cut, batch(3).subarray(0, 2 * CIFAR_RECORD_BYTES + 100));
    const out = join(dir, 'out.csv');
    const error = await convertCifarBinary([cut], out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toBe(
      `${cut}, line 3, column 101: the file is ${2 * CIFAR_RECORD_BYTES + 100} bytes, not a whole number of 3073-byte records: record 3 is cut after 100 bytes`,
    );
    const badLabel = join(dir, 'bad.bin');
    const bytes = batch(3);
    bytes[CIFAR_RECORD_BYTES] = 12;
    await writeFile(badLabel, bytes);
    await expect(convertCifarBinary([badLabel], out)).rejects.toThrow(
      /bad\.bin, line 2, column 1: label byte 12 is not a CIFAR-10 class/,
    );
    expect((await readdir(dir)).filter((name) => name.includes('out'))).toEqual([]);
  });

  it('rejects a folder without training batches', async () => {
    await expect(cifarBatchFiles([join(dir, 'cifar-10-batches-bin')])).rejects.toThrow(
      /holds no data_batch_\*\.bin files/,
    );
  });
});
