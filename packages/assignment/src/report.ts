/** What runChecks returns: plain data (JSON-serialisable for `--json`); formatReport prints it. */

/** One comparison: a value of the student's against a reference or a numerical gradient. */
export interface CheckLine {
  /** e.g. 'dx vs numerical (your forward)', 'out vs reference'. */
  name: string;
  pass: boolean;
  /** CS231n's relative error; null when nothing could be compared (wrong shape, threw). */
  relError: number | null;
  /** The largest relative error that passes; null for checks that are not a comparison. */
  threshold: number | null;
  /** One line saying what is wrong, when something is. */
  detail?: string;
}

/** A known mistake whose wrong result the student's matches. */
export interface MistakeMatch {
  id: string;
  mistake: string;
  fix: string;
}

/** The graph form's first intermediate that differs from the reference's, in graph order. */
export interface StepDiff {
  step: string;
  /** null when the step could not be compared (wrong shape, not a tensor). */
  relError: number | null;
  /** The local derivative that step needs, as in docs/batchnorm-backward.md. */
  localDerivative: string;
}

export type ExerciseStatus = 'pass' | 'fail' | 'partial' | 'not started';

export interface ExerciseReport {
  id: string;
  title: string;
  file: string;
  /**
   * pass: every check passed. fail: one did (or a function threw). partial: what is written passes but
   * some function is not started. not started: none of its functions is written.
   */
  status: ExerciseStatus;
  checks: CheckLine[];
  /** Functions still throwing NotImplemented (or missing from the student's module). */
  notStarted: string[];
  /** One line per function that threw something else. */
  errors: string[];
  mistakes: MistakeMatch[];
  firstDifferingStep?: StepDiff;
  /** Context worth a line, e.g. which forward a backward was checked against. */
  notes: string[];
}

export interface CheckReport {
  seed: number;
  exercises: ExerciseReport[];
  summary: { pass: number; fail: number; partial: number; notStarted: number };
  /** No exercise failed. Not-started and partial exercises do not count as failures. */
  ok: boolean;
}
