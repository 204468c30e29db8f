/** The grader's sandbox: a student's kit code in its own process, behind a synchronous proxy. */
export { openSubmission, type SandboxLimits, type Submission } from './open.js';
export { StudentProcessError } from './remote.js';
export { SourceFolderError } from './student-files.js';
