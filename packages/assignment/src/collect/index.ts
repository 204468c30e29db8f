/**
 * @backprop-lab/assignment/collect: what a kit's `pnpm collect` runs, and the submission format the
 * grader reads back (names, limits, submission.json's fields, the hash).
 */
export { CollectError, type CollectIo, type CollectResult, collectKit, runCollect } from './collect.js';
export {
  exerciseFiles,
  KIT_FILE_PATTERN,
  KIT_FIXED_FILES,
  KIT_MANIFEST,
  MAX_FILE_BYTES,
  SUBMISSION_JSON,
  SUBMISSION_VERSION,
  SUBMISSION_ZIP,
  type SubmissionExercise,
  type SubmissionManifest,
  sha256,
} from './format.js';
export { writeFileAtomicSync } from './write-atomic.js';
