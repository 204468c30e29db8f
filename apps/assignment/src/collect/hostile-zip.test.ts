// Zips a student could hand in instead of collect's: each is refused in one line naming the zip and the
// entry at fault, before anything is extracted, and leaves nothing behind in the grader's temp folder.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectKit, MAX_FILE_BYTES } from '@backprop-lab/assignment/collect';
import { tempDirSync } from '@backprop-lab/test-support';
import { strToU8, unzipSync, type Zippable, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { initKit } from '../init.js';
import { readSubmission, type SubmissionLimits } from './read-submission.js';

const root = tempDirSync('hostile-zip');
const privateRoot = join(root, 'private');
mkdirSync(privateRoot);
const kit = join(root, 'kit');
initKit(kit, { vendor: false, only: ['affine'] });
const good = unzipSync(readFileSync(collectKit(kit).zip));
const submissionJson = JSON.parse(new TextDecoder().decode(good['submission.json']));

afterEach(() => {
  // Refused before extraction, and the private folder removed: nothing left anywhere.
  expect(readdirSync(privateRoot)).toEqual([]);
  expect(readdirSync(kit).sort()).toEqual([
    '.gitignore',
    'README.md',
    'check.ts',
    'collect.ts',
    'manifest.json',
    'package.json',
    'pnpm-workspace.yaml',
    'src',
    'submission.zip',
    'tsconfig.json',
  ]);
});

let count = 0;
function write(bytes: Uint8Array): string {
  const path = join(root, `hostile-${count++}.zip`);
  writeFileSync(path, bytes);
  return path;
}

/** The collected zip with entries added or replaced. */
const zipWith = (entries: Zippable) => zipSync({ ...good, ...entries });

/** Overwrites a 32-bit field of `name`'s central directory header (offsets as in APPNOTE 4.3.12). */
function patchCentral(zip: Uint8Array, name: string, field: number, value: number): Uint8Array {
  const buffer = Buffer.from(zip);
  for (let at = buffer.length - 22; at >= 0; at--) {
    if (buffer.readUInt32LE(at) !== 0x02014b50) continue;
    const length = buffer.readUInt16LE(at + 28);
    if (buffer.toString('latin1', at + 46, at + 46 + length) !== name) continue;
    buffer.writeUInt32LE(value, at + field);
    return buffer;
  }
  throw new Error(`no central header for ${name}`);
}
const UNCOMPRESSED_SIZE = 24;

function refusal(bytes: Uint8Array, limits: Partial<SubmissionLimits> = {}): string {
  const path = write(bytes);
  try {
    readSubmission(path, { tempDir: privateRoot, limits });
  } catch (error) {
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message.startsWith(`${path}: `)).toBe(true);
    return message.slice(path.length + 2);
  }
  throw new Error('not refused');
}

const affine = good['src/affine.ts'];
const json = (value: object) => strToU8(JSON.stringify(value));

describe('hostile zips', () => {
  it.each([
    [
      'zip-slip',
      () => zipWith({ '../escaped.ts': affine }),
      `entry "../escaped.ts": '..' or '.' in its path`,
    ],
    [
      'an absolute path',
      () => zipWith({ '/tmp/escaped.ts': affine }),
      'entry "/tmp/escaped.ts": absolute path',
    ],
    [
      'a backslash path',
      () => zipWith({ 'src\\..\\..\\x.ts': affine }),
      'entry "src\\\\..\\\\..\\\\x.ts": control character, backslash or colon in its name',
    ],
    [
      'a symbolic link',
      // Unix mode S_IFLNK in the external attributes: extracted naively, it would point anywhere.
      () => zipWith({ 'src/affine.ts': [strToU8('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] }),
      'entry "src/affine.ts": a symbolic link',
    ],
    [
      'a file it should not hold',
      () => zipWith({ 'notes.txt': strToU8('hi') }),
      'entry "notes.txt": not part of a submission (submission.json and src/<exercise file>)',
    ],
    [
      'an oversized entry',
      () => zipWith({ 'src/affine.ts': new Uint8Array(MAX_FILE_BYTES + 1).fill(32) }),
      `entry "src/affine.ts": declares ${MAX_FILE_BYTES + 1} bytes, over the ${MAX_FILE_BYTES}-byte limit per file`,
    ],
    [
      'a bomb that claims 2 GB',
      () => patchCentral(zipWith({}), 'src/affine.ts', UNCOMPRESSED_SIZE, 2 ** 31),
      `entry "src/affine.ts": declares ${2 ** 31} bytes, over the ${MAX_FILE_BYTES}-byte limit per file`,
    ],
    [
      'a bomb whose header claims less than its data',
      // 64 MB of zeros deflate to ~64 kB; the header says 1000 bytes. Inflation stops at 1000.
      () =>
        patchCentral(
          zipWith({ 'src/affine.ts': new Uint8Array(64 * 2 ** 20) }),
          'src/affine.ts',
          UNCOMPRESSED_SIZE,
          1000,
        ),
      'entry "src/affine.ts": inflates past the 1000 bytes its header declares (a zip bomb?)',
    ],
    [
      'a header that claims more than its data',
      () => patchCentral(zipWith({}), 'src/affine.ts', UNCOMPRESSED_SIZE, affine.length + 5),
      `entry "src/affine.ts": holds ${affine.length} bytes, its header declares ${affine.length + 5}`,
    ],
    [
      'damaged data',
      () => {
        const zip = zipSync({ ...good, 'src/affine.ts': [affine, { level: 0 }] });
        const at = Buffer.from(zip).indexOf(Buffer.from(affine));
        zip[at + 10] ^= 0xff;
        return zip;
      },
      'entry "src/affine.ts": CRC mismatch (damaged)',
    ],
    [
      'no submission.json',
      () => zipSync({ 'src/affine.ts': affine }),
      'no submission.json: make the zip with pnpm collect in the kit',
    ],
    [
      'bad JSON in submission.json',
      () => zipWith({ 'submission.json': strToU8('{"kitVersion": 1,') }),
      /^submission\.json: not valid JSON \(.+\)$/,
    ],
    [
      'a kit of another version',
      () => zipWith({ 'submission.json': json({ ...submissionJson, kitVersion: 2 }) }),
      'submission.json: kitVersion 2 is not supported (this grader reads kits of version 1)',
    ],
    [
      'an unknown field',
      () => zipWith({ 'submission.json': json({ ...submissionJson, score: 100 }) }),
      'submission.json: unknown field "score"',
    ],
    [
      'an unknown exercise',
      () =>
        zipWith({
          'submission.json': json({ ...submissionJson, exercises: [{ id: 'magic', file: 'affine.ts' }] }),
        }),
      'submission.json: exercises[0].id: unknown exercise "magic"',
    ],
    [
      'a hash that is not one',
      () => zipWith({ 'submission.json': json({ ...submissionJson, files: { 'src/affine.ts': 'abc' } }) }),
      'submission.json: files["src/affine.ts"]: expected a SHA-256 in hex, got "abc"',
    ],
  ])('%s', (_, make, expected) => {
    const message = refusal(make());
    if (typeof expected === 'string') expect(message).toBe(expected);
    else expect(message).toMatch(expected);
  });

  it('too many entries, by the count in the directory, before reading any', () => {
    expect(refusal(zipWith({}), { maxEntries: 1 })).toBe('2 entries, more than the 1 a submission may hold');
  });

  it('a zip file larger than a submission may be, before reading it', () => {
    const zip = zipWith({});
    expect(refusal(zip, { maxZipBytes: 100 })).toBe(
      `${zip.length} bytes, over the 100-byte limit for a submission`,
    );
  });

  it('entries that are small one by one but too large together', () => {
    expect(refusal(zipWith({}), { maxTotalBytes: affine.length })).toBe(
      `its entries declare over ${affine.length} bytes in all`,
    );
  });

  it('a truncated zip, and a file that is not a zip at all', () => {
    const zip = zipWith({});
    const noEnd = 'not a zip file (no end-of-central-directory record: not a zip, or truncated)';
    expect(refusal(zip.subarray(0, zip.length - 30))).toBe(noEnd);
    // The end record kept, the middle lost: its directory now points past the end.
    const cut = Buffer.concat([zip.subarray(0, 100), zip.subarray(zip.length - 22)]);
    expect(refusal(cut)).toBe('truncated (the central directory lies past the end of the file)');
    expect(refusal(strToU8('hello'))).toBe('not a zip file (5 bytes)');
    expect(refusal(strToU8('export const notAZip = true;\n'.repeat(10)))).toBe(noEnd);
  });
});
