// The kit's `pnpm collect` on a hand-made kit: the zip holds the exercise files and a submission.json
// whose hashes match them; a missing, linked or oversized exercise file is one line and no zip.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { collectKit, runCollect } from './collect.js';
import { MAX_FILE_BYTES, type SubmissionManifest, sha256 } from './format.js';

const root = tempDirSync('collect');
let count = 0;

/** A kit with two exercises in two files and its fixed files, manifest.json recording their hashes. */
function makeKit(): string {
  const kit = join(root, `kit-${count++}`);
  mkdirSync(join(kit, 'src'), { recursive: true });
  writeFileSync(join(kit, 'src/affine.ts'), 'export const affine = 1;\n');
  writeFileSync(join(kit, 'src/relu.ts'), 'export const relu = 2;\n');
  const fixed = { 'check.ts': '// check\n', 'package.json': '{}\n', 'tsconfig.json': '{}\n' };
  for (const [name, text] of Object.entries(fixed)) writeFileSync(join(kit, name), text);
  const manifest = {
    kitVersion: 1,
    toolkitVersion: '0.1.0',
    exercises: [
      { id: 'affine', file: 'affine.ts', functions: ['affineForward'] },
      { id: 'relu', file: 'relu.ts', functions: ['reluForward'] },
    ],
    fixedFiles: {
      ...Object.fromEntries(Object.entries(fixed).map(([name, text]) => [name, sha256(text)])),
      // init wrote collect.ts; this kit has lost it.
      'collect.ts': sha256('// collect\n'),
    },
  };
  writeFileSync(join(kit, 'manifest.json'), JSON.stringify(manifest));
  return kit;
}

function run(kit: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCollect(kit, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('collect', () => {
  it('zips the exercise files with submission.json holding their hashes and the kit files', () => {
    const kit = makeKit();
    const { zip, entries, modified } = collectKit(kit);
    expect(entries).toEqual(['src/affine.ts', 'src/relu.ts', 'submission.json']);
    const unzipped = unzipSync(readFileSync(zip));
    expect(Object.keys(unzipped).sort()).toEqual(entries);
    expect(strFromU8(unzipped['src/relu.ts'])).toBe('export const relu = 2;\n');
    const submission = JSON.parse(strFromU8(unzipped['submission.json'])) as SubmissionManifest;
    expect(submission).toMatchObject({ submissionVersion: 1, kitVersion: 1, toolkitVersion: '0.1.0' });
    expect(submission.exercises).toEqual([
      { id: 'affine', file: 'affine.ts' },
      { id: 'relu', file: 'relu.ts' },
    ]);
    expect(submission.files['src/affine.ts']).toBe(sha256('export const affine = 1;\n'));
    expect(submission.kitFiles['check.ts']).toBe(sha256('// check\n'));
    expect(submission.kitFiles['manifest.json']).toBe(sha256(readFileSync(join(kit, 'manifest.json'))));
    // collect.ts is gone: reported, and left out of kitFiles.
    expect(modified).toEqual(['collect.ts']);
    expect(submission.kitFiles).not.toHaveProperty('collect.ts');
  });

  it('gives the same bytes for the same files, and notes a fixed file the student changed', () => {
    const kit = makeKit();
    const first = readFileSync(collectKit(kit).zip);
    expect(readFileSync(collectKit(kit).zip).equals(first)).toBe(true);
    writeFileSync(join(kit, 'check.ts'), '// all pass\n');
    const { code, out } = run(kit);
    expect(code).toBe(0);
    expect(out[0]).toBe(
      'wrote submission.zip: src/affine.ts, src/relu.ts and submission.json; hand in submission.zip',
    );
    expect(out).toContain(
      'note: check.ts differs from the kit as init wrote it; the grader will report it as modified',
    );
  });

  it('notes the src/ files it leaves out: pnpm check imports them, the grader would not find them', () => {
    const kit = makeKit();
    mkdirSync(join(kit, 'src/helpers'));
    writeFileSync(join(kit, 'src/helpers/math.ts'), 'export const two = 2;\n');
    writeFileSync(join(kit, 'src/util.ts'), 'export const one = 1;\n');
    writeFileSync(join(kit, 'src/notes.md'), 'not code\n');
    const { code, out } = run(kit);
    expect(code).toBe(0);
    expect(out.at(-1)).toEqual(
      'note: src/helpers/math.ts and src/util.ts are not handed in (only the exercise files are); an exercise file that imports them will not load when graded',
    );
  });

  it.each([
    [
      'missing',
      (kit: string) => rmSync(join(kit, 'src/relu.ts')),
      'pnpm collect: src/relu.ts is missing (exercise relu); put the file back, even unfinished, and collect again',
    ],
    [
      'a symbolic link',
      (kit: string) => {
        rmSync(join(kit, 'src/relu.ts'));
        symlinkSync('/etc/passwd', join(kit, 'src/relu.ts'));
      },
      'pnpm collect: src/relu.ts is a symbolic link; the submission takes the file itself',
    ],
    [
      'a folder',
      (kit: string) => {
        rmSync(join(kit, 'src/relu.ts'));
        mkdirSync(join(kit, 'src/relu.ts'));
      },
      'pnpm collect: src/relu.ts is not a regular file; the submission takes the file itself',
    ],
    [
      'too large',
      (kit: string) => writeFileSync(join(kit, 'src/relu.ts'), Buffer.alloc(MAX_FILE_BYTES + 1, 32)),
      `pnpm collect: src/relu.ts is ${MAX_FILE_BYTES + 1} bytes, over the ${MAX_FILE_BYTES}-byte limit per file`,
    ],
  ])('refuses an exercise file that is %s: one line, exit 1, no zip', (_, spoil, line) => {
    const kit = makeKit();
    spoil(kit);
    expect(run(kit)).toEqual({ code: 1, out: [], err: [line] });
    expect(existsSync(join(kit, 'submission.zip'))).toBe(false);
  });

  it('refuses a folder that is not a kit', () => {
    const { code, err } = run(join(root, 'nowhere'));
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^pnpm collect: manifest\.json: ENOENT/);
  });

  it('names submission.zip in one line when it cannot be written, and leaves no temporary file', () => {
    const kit = makeKit();
    // A non-empty folder where the zip goes: the rename over it fails after the zip was written.
    mkdirSync(join(kit, 'submission.zip', 'inside'), { recursive: true });
    const { code, out, err } = run(kit);
    expect([code, out]).toEqual([1, []]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      new RegExp(`^pnpm collect: ${join(kit, 'submission.zip')}: cannot write \\(E[A-Z]+: `),
    );
    expect(readdirSync(kit).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
