/**
 * @backprop-lab/assignment: the CS231n-style assignment's manifest, the NotImplemented its stubs throw,
 * and runChecks, which checks a student's functions against the reference layers and optimizers and
 * names known mistakes. Shapes: N batch, D features, M hidden/outputs, C classes.
 */
export type { Sizes, StudentImpl } from './context.js';
export { formatReport } from './format.js';
export { EXERCISES, type Exercise, fileOf } from './manifest.js';
export { isNotImplemented, NotImplemented } from './not-implemented.js';
export { REFERENCE_IMPL } from './reference-impl.js';
export type {
  CheckLine,
  CheckReport,
  ExerciseReport,
  ExerciseStatus,
  MistakeMatch,
  StepDiff,
} from './report.js';
export { DEFAULT_SIZES, MIN_SIZES, type RunChecksOptions, runChecks } from './run-checks.js';
