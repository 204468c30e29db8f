import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
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

  it('notices a middle edit that keeps size, mtime, head and tail (ctime moves)', async () => {
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
    const warnings: string[] = [];
    const reread = await readCsvDataset(big, { cache: true, onWarning: (m) => warnings.push(m) });
    expect(reread.fromCache).toBe(false);
    expect(first.X.data[1500 * 2]).toBe(1500);
    expect(reread.X.data[1500 * 2]).toBe(Number('1'.repeat(28)));
    expect(warnings).toEqual([]); // a stale cache is replaced silently
    expect((await readCsvDataset(big, { cache: true })).fromCache).toBe(true);
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

/** Rewrites a cache file: `edit` may change the header JSON and the X and y arrays (float64 here). */
async function craft(
  file: string,
  edit: (header: Record<string, unknown>, X: Float64Array, y: Int32Array) => void,
): Promise<void> {
  const bytes = await readFile(file);
  const length = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.subarray(12, 12 + length).toString('utf8'));
  const start = Math.ceil((12 + length) / 8) * 8;
  const rows = header.rows as number;
  const body = bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length);
  const X = new Float64Array(body, 0, (body.byteLength - rows * 4) / 8);
  const y = new Int32Array(body, X.byteLength, rows);
  edit(header, X, y);
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(12);
  prefix.write('BPLDATA1', 0, 'latin1');
  prefix.writeUInt32LE(json.length, 8);
  const padding = Buffer.alloc(Math.ceil((12 + json.length) / 8) * 8 - 12 - json.length);
  await writeFile(file, Buffer.concat([prefix, json, padding, new Uint8Array(body)]));
}

describe('a crafted or damaged cache file', () => {
  const cases: [string, (header: Record<string, unknown>, X: Float64Array, y: Int32Array) => void, RegExp][] =
    [
      [
        'a label beyond the class count',
        (_h, _X, y) => void (y[1] = 7),
        /label 7 at row 2 is outside 0\.\.2/,
      ],
      ['a negative label', (_h, _X, y) => void (y[0] = -1), /label -1 at row 1 is outside 0\.\.2/],
      ['a NaN feature', (_h, X) => void (X[3] = Number.NaN), /non-finite value NaN at row 2, feature 2/],
      [
        'an infinite feature',
        (_h, X) => void (X[0] = Number.NEGATIVE_INFINITY),
        /non-finite value -Infinity/,
      ],
      ['another dtype', (h) => void (h.dtype = 'float32'), /dtype "float32", requested float64/],
      ['another row count', (h) => void (h.rows = 2), /bytes, but 2 rows of 2 float64 features/],
      ['a huge row count', (h) => void (h.rows = 2 ** 40), /bytes, but 1099511627776 rows/],
      [
        'another shape',
        (h) => void (h.featureNames = ['a', 'b', 'c']),
        /feature names are not the CSV header's/,
      ],
      ['another class count', (h) => void (h.numClasses = 9), /label|numClasses/],
      ['other options', (h) => void (h.options = { dtype: 'float64' }), /options are not the ones requested/],
      ['fake class names', (h) => void (h.classNames = ['x', 'y', 'z']), /class names are not the sidecar's/],
    ];
  for (const [what, edit, reason] of cases) {
    it(`is ignored with one warning and replaced: ${what}`, async () => {
      const first = await readCsvDataset(csv, { cache: true });
      await craft(first.cacheFile!, edit);
      const warnings: string[] = [];
      const again = await readCsvDataset(csv, { cache: true, onWarning: (m) => warnings.push(m) });
      expect(again.fromCache).toBe(false);
      expect(Array.from(again.y)).toEqual([0, 1, 2]);
      expect(Array.from(again.X.data)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(reason);
      expect(warnings[0]).toMatch(/ignoring the cache file .*; the CSV is parsed and the cache replaced$/);
      expect(warnings[0]).not.toMatch(/\n/);
      expect((await readCsvDataset(csv, { cache: true })).fromCache).toBe(true);
    });
  }

  it('is ignored when it is not a cache file at all, or a folder, or a FIFO (no hang)', async () => {
    const first = await readCsvDataset(csv, { cache: true });
    const file = first.cacheFile!;
    const warnings: string[] = [];
    const onWarning = (m: string) => warnings.push(m);
    await writeFile(file, Buffer.from('\x89PNG\r\n\x1a\n0000000000000000'));
    expect((await readCsvDataset(csv, { cache: true, onWarning })).fromCache).toBe(false);
    await writeFile(file, Buffer.concat([Buffer.from('BPLDATA1'), Buffer.from([255, 255, 255, 127])]));
    expect((await readCsvDataset(csv, { cache: true, onWarning })).fromCache).toBe(false);
    await rm(file);
    execFileSync('mkfifo', [file]);
    await expect(readCsvDataset(csv, { cache: true, onWarning })).resolves.toMatchObject({
      fromCache: false,
    });
    expect(warnings.map((w) => w.replace(/^.*ignoring the cache file \(/, '').replace(/\).*$/, ''))).toEqual([
      'no BPLDATA1 magic: not a backprop-lab cache file',
      'the header length 2147483647 runs past the end of the file',
      'is a pipe (process substitution or a FIFO',
    ]);
    expect((await readCsvDataset(csv, { cache: true })).fromCache).toBe(true);
  });

  it('a cache that cannot be written is a warning, not a failure of the read', async () => {
    await writeFile(join(dir, 'not-a-folder'), 'a file where the cache folder would go');
    const warnings: string[] = [];
    const data = await readCsvDataset(csv, {
      cache: join(dir, 'not-a-folder'),
      onWarning: (m) => warnings.push(m),
    });
    expect(Array.from(data.y)).toEqual([0, 1, 2]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /not-a-folder\/small\.csv\.[0-9a-f]{16}\.bin: cannot write \(a file stands where a folder of the path should be\); the data is read, but not cached$/,
    );
  });
});
