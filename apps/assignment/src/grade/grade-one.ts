/**
 * gradeSubmission: one submission from its path to its scores and reports, as plain data (it crosses a
 * worker boundary). Reads it (readSubmission), opens it in the sandbox, runs the visible and hidden checks
 * in this process against the sandbox's functions, and scores them. Whatever the student's code does,
 * it returns a result; a submission that cannot be read scores 0 with the reason.
 */
import {
  type CheckReport,
  EXERCISES,
  type ExerciseReport,
  REFERENCE_IMPL,
  runChecks,
} from '@backprop-lab/assignment';
import { readSubmission } from '../collect/index.js';
import type { GraderConfig } from './config.js';
import { type CheckRun, hiddenRuns, VISIBLE_RUN } from './hidden.js';
import { openSubmission } from './sandbox/index.js';
import { type ScoredRun, type SubmissionScore, scoreSubmission } from './score.js';

export interface GradeResult {
  name: string;
  path: string;
  score: SubmissionScore;
  /** Why nothing could be graded (unreadable submission, a crash of the grading worker). */
  failure?: string;
  /** The visible run's report per exercise (what `pnpm check` shows the student). */
  visible: ExerciseReport[];
  /** Per hidden run, its report per exercise. Never shown with its values. */
  hidden: ExerciseReport[][];
  tampered: string[];
  /** [kit file, reason] for files that could not be read or loaded: their exercises score 0. */
  loadProblems: [string, string][];
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}

/** A result that scores 0 everywhere, for a submission that could not be graded. */
export function failedResult(name: string, path: string, config: GraderConfig, failure: string): GradeResult {
  const runs = new Map(
    EXERCISES.map((exercise) => {
      const report: ExerciseReport = {
        id: exercise.id,
        title: exercise.title,
        file: exercise.file,
        status: 'not started',
        checks: [],
        notStarted: [],
        errors: [],
        mistakes: [],
        notes: [],
      };
      const run = { report, referenceLines: 1 };
      return [exercise.id, { visible: run, hidden: config.hiddenRuns.map(() => run) }];
    }),
  );
  const score = scoreSubmission({
    runs,
    loadProblems: new Map(),
    points: config.points,
    visibleWeight: config.visibleWeight,
  });
  return {
    name,
    path,
    score,
    failure,
    visible: [],
    hidden: [],
    tampered: [],
    loadProblems: [],
  };
}

// The reference's line counts depend only on the run (seed, sizes): once per worker, not per submission.
const referenceLines = new Map<string, Map<string, number>>();

function referenceLinesOf(run: CheckRun): Map<string, number> {
  const key = JSON.stringify(run);
  let lines = referenceLines.get(key);
  if (!lines) {
    const report = runChecks(REFERENCE_IMPL, run);
    lines = new Map(report.exercises.map((e) => [e.id, e.checks.length]));
    referenceLines.set(key, lines);
  }
  return lines;
}

function scored(report: CheckReport, run: CheckRun): Map<string, ScoredRun> {
  const lines = referenceLinesOf(run);
  return new Map(report.exercises.map((e) => [e.id, { report: e, referenceLines: lines.get(e.id) ?? 0 }]));
}

export async function gradeSubmission(
  name: string,
  path: string,
  config: GraderConfig,
  tempDir?: string,
): Promise<GradeResult> {
  let files: ReturnType<typeof readSubmission>;
  try {
    files = readSubmission(path, { tempDir });
  } catch (error) {
    return failedResult(name, path, config, firstLine(error));
  }
  try {
    const limits = { timeLimitMs: config.limits.callSeconds * 1000, heapMb: config.limits.memoryMb };
    const sandbox = await openSubmission(files.srcDir, limits, { tempDir });
    try {
      const runs = hiddenRuns(config);
      const visible = runChecks(sandbox.impl, VISIBLE_RUN);
      const hidden = runs.map((run) => runChecks(sandbox.impl, run));
      const visibleScored = scored(visible, VISIBLE_RUN);
      const hiddenScored = hidden.map((report, i) => scored(report, runs[i]));
      const byExercise = new Map(
        EXERCISES.map(({ id }) => [
          id,
          { visible: visibleScored.get(id)!, hidden: hiddenScored.map((run) => run.get(id)!) },
        ]),
      );
      // A file the reader could not read is not loaded either: the reader's reason comes first. A reason
      // may quote the private copy's path, which differs on every run, so it is written `src/`.
      const loadProblems = new Map(files.fileProblems);
      for (const [file, reason] of sandbox.loadProblems)
        if (!loadProblems.has(file)) loadProblems.set(file, reason.split(`${files.srcDir}/`).join('src/'));
      const score = scoreSubmission({
        runs: byExercise,
        loadProblems,
        points: config.points,
        visibleWeight: config.visibleWeight,
      });
      return {
        name,
        path,
        score,
        visible: visible.exercises,
        hidden: hidden.map((report) => report.exercises),
        tampered: files.tampered,
        loadProblems: [...loadProblems],
      };
    } finally {
      await sandbox.close();
    }
  } catch (error) {
    return failedResult(name, path, config, `the grader could not run this submission: ${firstLine(error)}`);
  } finally {
    files.cleanup();
  }
}
