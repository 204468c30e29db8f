/** The grader's side of `pnpm collect`: readSubmission over a kit folder, a zip, or an unpacked zip. */
export {
  DEFAULT_SUBMISSION_LIMITS,
  isSubmissionFolder,
  type ReadSubmissionOptions,
  readSubmission,
  type Submission,
  SubmissionError,
  type SubmissionLimits,
} from './read-submission.js';
