/**
 * What `pnpm collect` hands in and the grader reads back: submission.zip holds the kit's exercise files
 * (src/<file>) and submission.json, which names the kit and carries the SHA-256 of every file, so an edit
 * made after collecting, or to a file the student was not meant to change, can be seen. Shared by the kit
 * (collect.ts) and the grader (apps/assignment's readSubmission), so both agree on names and limits.
 */
import { createHash } from 'node:crypto';

export const SUBMISSION_ZIP = 'submission.zip';
export const SUBMISSION_JSON = 'submission.json';
/** submission.json's own layout version; the grader refuses others. */
export const SUBMISSION_VERSION = 1;

/**
 * The kit files init writes that a student has no reason to change. manifest.json records their hashes
 * (init computes them after writing); it is hashed into submission.json too, but cannot hold its own.
 */
export const KIT_FIXED_FILES = [
  'check.ts',
  'collect.ts',
  'package.json',
  'pnpm-workspace.yaml',
  'tsconfig.json',
] as const;
export const KIT_MANIFEST = 'manifest.json';

/** One exercise file may hold at most this much: a solution is a few kB, so more is a mistake or worse. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** A kit file name as manifest.json gives it: no folders, no dots but the extension. */
export const KIT_FILE_PATTERN = /^[\w-]+\.ts$/;

export interface SubmissionExercise {
  id: string;
  file: string;
}

/** submission.json. Hashes are lowercase hex SHA-256 of the file's bytes. */
export interface SubmissionManifest {
  submissionVersion: number;
  kitVersion: number;
  toolkitVersion: string;
  exercises: SubmissionExercise[];
  /** `src/<file>` → hash, one per exercise file. */
  files: Record<string, string>;
  /** Kit file (KIT_FIXED_FILES and manifest.json) → hash as collected; absent when the file was missing. */
  kitFiles: Record<string, string>;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The exercise files of a list of exercises, each once, in order. */
export function exerciseFiles(exercises: readonly { file: string }[]): string[] {
  return [...new Set(exercises.map((exercise) => exercise.file))];
}
