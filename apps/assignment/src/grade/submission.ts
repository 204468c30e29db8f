/**
 * STAND-IN for g-collect's readSubmission (kit folders and collect's zips, manifest and tampering checks),
 * to be replaced at merge. This one reads kit folders only: it copies the exercise files (regular files,
 * no symlinks followed, at most 1 MB) into a private temp folder, so grading never reads the student's
 * folder twice. A zip is refused with a reason.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { EXERCISES } from '@backprop-lab/assignment';

export interface SubmissionFiles {
  name: string;
  /** A private copy of the submission's src/. */
  srcDir: string;
  /** Files outside the exercises that differ from the kit's (e.g. 'check.ts was modified'). */
  tampered: string[];
  /** One line each, naming the file: the values of fileProblems. */
  problems: string[];
  /** Kit file ('relu.ts') → why it was not read: its exercises score 0, the others are graded. */
  fileProblems: Map<string, string>;
  cleanup(): void;
}

/**
 * Whether a folder is one submission (a kit; g-collect's version also knows collect's zip dropped in or
 * unpacked) rather than a folder of submissions.
 */
export function isSubmissionFolder(dir: string): boolean {
  return ['manifest.json', 'submission.json', 'submission.zip'].some((file) => existsSync(join(dir, file)));
}

const MAX_FILE_BYTES = 1024 * 1024;

export function readSubmission(path: string): SubmissionFiles {
  if (path.endsWith('.zip'))
    throw new Error(`${path}: zip submissions need g-collect's readSubmission (not merged yet)`);
  if (!existsSync(join(path, 'manifest.json')) || !existsSync(join(path, 'src')))
    throw new Error(`${path}: not a kit folder (no manifest.json and src/)`);
  const root = mkdtempSync(join(tmpdir(), 'backprop-grade-'));
  const srcDir = join(root, 'src');
  mkdirSync(srcDir);
  const fileProblems = new Map<string, string>();
  for (const file of new Set(EXERCISES.map((exercise) => exercise.file))) {
    const from = join(path, 'src', file);
    const stat = lstatSync(from, { throwIfNoEntry: false });
    if (stat === undefined) fileProblems.set(file, `src/${file} is missing`);
    else if (!stat.isFile()) fileProblems.set(file, `src/${file} is not a regular file`);
    else if (stat.size > MAX_FILE_BYTES) fileProblems.set(file, `src/${file} is larger than 1 MB`);
    else copyFileSync(from, join(srcDir, file));
  }
  return {
    name: basename(path),
    srcDir,
    tampered: [],
    problems: [...fileProblems.values()],
    fileProblems,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
