// readSubmission over what a student hands in: a kit folder, the zip `pnpm collect` writes, and the
// folder Gradescope unpacks it into. A filled kit round-trips with no tampering; an edited check.ts, a
// zip edited after collect and a missing file are reported; unreadable zips are tested in hostile-zip.test.ts.
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectKit, KIT_FIXED_FILES, KIT_MANIFEST, sha256 } from '@backprop-lab/assignment/collect';
import { tempDirSync } from '@backprop-lab/test-support';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { initKit } from '../init.js';
import { fillKitFile } from '../testing/fill.js';
import { isSubmissionFolder, readSubmission, type Submission } from './read-submission.js';

const root = tempDirSync('read-submission');
const privateRoot = join(root, 'private');
mkdirSync(privateRoot);
const kit = join(root, 'alice');
initKit(kit, { vendor: false });
fillKitFile(kit, 'affine.ts', 'packages/layers/src');
fillKitFile(kit, 'relu.ts', 'packages/layers/src');
const zip = collectKit(kit).zip;
const kitSources = readdirSync(join(kit, 'src')).sort();

const opened: Submission[] = [];
function read(path: string): Submission {
  const submission = readSubmission(path, { tempDir: privateRoot });
  opened.push(submission);
  return submission;
}
afterEach(() => {
  for (const submission of opened.splice(0)) submission.cleanup();
  expect(readdirSync(privateRoot)).toEqual([]);
});

/** A copy of the collected zip with some entries replaced (Uint8Array) or removed (null). */
function editedZip(name: string, edits: Record<string, Uint8Array | null>): string {
  const entries: Record<string, Uint8Array> = unzipSync(readFileSync(zip));
  for (const [entry, bytes] of Object.entries(edits)) {
    if (bytes === null) delete entries[entry];
    else entries[entry] = bytes;
  }
  const path = join(root, name);
  writeFileSync(path, zipSync(entries));
  return path;
}

function expectSameSources(submission: Submission): void {
  expect(readdirSync(submission.srcDir).sort()).toEqual(kitSources);
  for (const file of kitSources)
    expect(readFileSync(join(submission.srcDir, file), 'utf8')).toBe(
      readFileSync(join(kit, 'src', file), 'utf8'),
    );
}

describe('readSubmission', () => {
  it('round-trips a collected zip: every exercise file, the manifest, no tampering, no problems', () => {
    const submission = read(zip);
    expect(submission.name).toBe('submission');
    expectSameSources(submission);
    expect(submission.manifest.kitVersion).toBe(1);
    expect(submission.manifest.exercises.map((e) => e.id)).toContain('batchnorm-forward');
    expect({ tampered: submission.tampered, problems: submission.problems }).toEqual({
      tampered: [],
      problems: [],
    });
    // The private folder is the grader's alone.
    expect(submission.srcDir.startsWith(privateRoot)).toBe(true);
    expect(JSON.parse(readFileSync(join(submission.srcDir, '../package.json'), 'utf8'))).toEqual({
      type: 'module',
    });
    submission.cleanup();
    expect(readdirSync(privateRoot)).toEqual([]);
  });

  it('reads the kit folder itself, and the folder the zip was unpacked into, the same way', () => {
    const folder = read(kit);
    expect(folder.name).toBe('alice');
    expectSameSources(folder);
    expect([folder.tampered, folder.problems]).toEqual([[], []]);
    const unpacked = join(root, 'unpacked');
    for (const [name, bytes] of Object.entries(unzipSync(readFileSync(zip)))) {
      mkdirSync(join(unpacked, name, '..'), { recursive: true });
      writeFileSync(join(unpacked, name), bytes);
    }
    expect(isSubmissionFolder(unpacked)).toBe(true);
    const fromUnpacked = read(unpacked);
    expectSameSources(fromUnpacked);
    expect([fromUnpacked.tampered, fromUnpacked.problems]).toEqual([[], []]);
  });

  it('reads a folder holding submission.zip as that zip, but not through a link', () => {
    const dropped = join(root, 'eve');
    mkdirSync(dropped);
    writeFileSync(join(dropped, 'submission.zip'), readFileSync(zip));
    const submission = read(dropped);
    expect(submission.name).toBe('eve');
    expectSameSources(submission);
    const linked = join(root, 'frank');
    mkdirSync(linked);
    symlinkSync(zip, join(linked, 'submission.zip'));
    expect(() => read(linked)).toThrow(`${join(linked, 'submission.zip')}: not a regular file`);
  });

  it('reports a fixed kit file the student changed: in the folder and through collect', () => {
    const edited = join(root, 'bob');
    initKit(edited, { vendor: false, only: ['affine', 'relu'] });
    writeFileSync(join(edited, 'check.ts'), 'console.log("all pass");\n');
    rmSync(join(edited, 'tsconfig.json'));
    expect(read(edited).tampered).toEqual(['check.ts was modified', 'tsconfig.json is missing from the kit']);
    const collected = read(collectKit(edited).zip);
    expect(collected.tampered).toEqual(['check.ts was modified', 'tsconfig.json is missing from the kit']);
    expect(collected.manifest.exercises.map((e) => e.id)).toEqual(['affine', 'relu']);
  });

  it('reports an exercise file edited in the zip after collect, and grades it all the same', () => {
    const submission = read(editedZip('edited.zip', { 'src/relu.ts': strToU8('export const x = 1;\n') }));
    expect(submission.tampered).toEqual([
      'src/relu.ts does not match the hash pnpm collect recorded: edited after collecting',
    ]);
    const small = join(root, 'small');
    initKit(small, { vendor: false, only: ['affine'] });
    const entries = unzipSync(readFileSync(collectKit(small).zip));
    writeFileSync(join(root, 'added.zip'), zipSync({ ...entries, 'src/relu.ts': strToU8('export {};\n') }));
    const added = read(join(root, 'added.zip'));
    expect(added.tampered).toEqual([
      'src/relu.ts is not in submission.json: added after collecting, not graded',
    ]);
    expect(readdirSync(added.srcDir)).toEqual(['affine.ts']);
    expect(readFileSync(join(submission.srcDir, 'relu.ts'), 'utf8')).toBe('export const x = 1;\n');
  });

  it('makes a missing exercise file a problem of that file only', () => {
    const fromZip = read(editedZip('no-relu.zip', { 'src/relu.ts': null }));
    expect(fromZip.problems).toEqual(['src/relu.ts is missing from the zip']);
    expect([...fromZip.fileProblems.keys()]).toEqual(['relu.ts']);
    expect(readdirSync(fromZip.srcDir).sort()).toEqual(kitSources.filter((file) => file !== 'relu.ts'));
    const folder = join(root, 'carol');
    initKit(folder, { vendor: false, only: ['affine', 'relu', 'softmax'] });
    rmSync(join(folder, 'src/relu.ts'));
    rmSync(join(folder, 'src/softmax.ts'));
    symlinkSync('/etc/passwd', join(folder, 'src/softmax.ts'));
    const fromFolder = read(folder);
    expect(Object.fromEntries(fromFolder.fileProblems)).toEqual({
      'relu.ts': 'src/relu.ts is missing',
      'softmax.ts': 'src/softmax.ts is a symbolic link (not followed)',
    });
    expect(readdirSync(fromFolder.srcDir)).toEqual(['affine.ts']);
  });

  it('reads no exercise file through a src/ that is a symbolic link', () => {
    const folder = join(root, 'dave');
    initKit(folder, { vendor: false, only: ['affine'] });
    rmSync(join(folder, 'src'), { recursive: true });
    symlinkSync(join(kit, 'src'), join(folder, 'src'));
    expect(read(folder).problems).toEqual(['src/affine.ts is missing (src/ is not a folder)']);
  });

  it("hashes exactly the fixed files init writes: collect's list and the templates agree", () => {
    const manifest = JSON.parse(readFileSync(join(kit, KIT_MANIFEST), 'utf8'));
    expect(Object.keys(manifest.fixedFiles).sort()).toEqual([...KIT_FIXED_FILES].sort());
    for (const file of KIT_FIXED_FILES)
      expect(manifest.fixedFiles[file]).toBe(sha256(readFileSync(join(kit, file))));
  });

  it('refuses what is not a submission in one line naming it', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect([isSubmissionFolder(kit), isSubmissionFolder(empty), isSubmissionFolder(root)]).toEqual([
      true,
      false,
      false,
    ]);
    expect(() => read(empty)).toThrow(
      `${empty}: neither a kit (no manifest.json) nor a collected submission (no submission.json or submission.zip)`,
    );
    expect(() => read(join(root, 'nope.zip'))).toThrow(`${join(root, 'nope.zip')}: no such file or folder`);
  });
});
