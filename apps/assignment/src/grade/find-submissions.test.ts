// Which paths are submissions and what they are called: no grading here, only folders and names.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirSync } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { findSubmissions, submissionName } from './find-submissions.js';

function kit(dir: string): string {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), '{}');
  return dir;
}

describe('findSubmissions', () => {
  it('takes a folder of kits and zips, skipping hidden entries, __MACOSX, other files and --out', () => {
    const root = tempDirSync('find-submissions');
    kit(join(root, 'bob'));
    kit(join(root, 'ada'));
    writeFileSync(join(root, 'cy.zip'), 'PK');
    writeFileSync(join(root, 'notes.txt'), '');
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'results'));
    // What macOS's Compress adds beside a zipped kit folder (Gradescope unpacks it with the kit).
    mkdirSync(join(root, '__MACOSX', 'bob'), { recursive: true });
    expect(findSubmissions([root], [join(root, 'results')])).toEqual([
      { name: 'ada', path: join(root, 'ada') },
      { name: 'bob', path: join(root, 'bob') },
      { name: 'cy', path: join(root, 'cy.zip') },
    ]);
  });

  it('takes a kit, or a folder holding collect’s zip, as one submission', () => {
    const root = tempDirSync('find-submissions');
    const dropped = join(root, 'upload');
    mkdirSync(dropped);
    writeFileSync(join(dropped, 'submission.zip'), 'PK');
    expect(findSubmissions([kit(join(root, 'dee')), dropped]).map((s) => s.name)).toEqual(['dee', 'upload']);
  });

  it('names a submission so that it is a plain folder name in --out', () => {
    expect(submissionName('/x/Ada Lovelace (hw2).zip')).toBe('Ada_Lovelace__hw2_');
    expect(submissionName('/x/.hidden')).toBe('_.hidden');
    expect(submissionName('/x/class.csv.zip')).toBe('_class.csv');
    expect(submissionName('/x/../..')).toBe('_..');
  });

  it('refuses two submissions of one name, a missing path and a folder with none, in one line', () => {
    const root = tempDirSync('find-submissions');
    kit(join(root, 'a', 'ada'));
    kit(join(root, 'b', 'ada'));
    mkdirSync(join(root, 'empty'));
    expect(() => findSubmissions([join(root, 'a'), join(root, 'b')])).toThrow(
      `${join(root, 'a', 'ada')} and ${join(root, 'b', 'ada')} would both be graded as ada; rename one`,
    );
    expect(() => findSubmissions([join(root, 'none')])).toThrow(
      `${join(root, 'none')}: no such file or folder`,
    );
    expect(() => findSubmissions([join(root, 'empty')])).toThrow(/empty: no submissions in it/);
  });
});
