/**
 * Scoring, as a pure function of the check reports. The rule, per exercise with P points and the
 * config's visible weight w:
 *
 * - the visible part is worth P·w, the hidden part P·(1 − w) (all of P is visible when there are no
 *   hidden runs);
 * - a part scores its points × (check lines passed) / (check lines due), over all the part's runs. The
 *   lines due are the lines the reference itself gets on the same run (a complete answer), or the lines
 *   the student's run wrote if more: an error or a not-started function is one written line that fails,
 *   and the checks it kept from running are due all the same, so throwing never scores more than a wrong
 *   answer;
 * - a problem loading the exercise's file (it does not compile, throws at import) makes both parts 0,
 *   with that reason;
 * - each part is rounded to 0.01 point, the total is the sum of the rounded parts.
 */
import type { ExerciseReport } from '@backprop-lab/assignment';

export interface PartScore {
  score: number;
  max: number;
  passed: number;
  /** Check lines due over the part's runs. */
  due: number;
}

export interface ExerciseScore {
  id: string;
  title: string;
  file: string;
  score: number;
  max: number;
  visible: PartScore;
  hidden: PartScore;
  /** Why the exercise scored 0 whatever its checks (a load problem). */
  reason?: string;
}

export interface SubmissionScore {
  exercises: ExerciseScore[];
  score: number;
  max: number;
}

/** One run of one exercise: the student's report and how many lines the reference wrote on that run. */
export interface ScoredRun {
  report: ExerciseReport;
  referenceLines: number;
}

export interface ScoreInput {
  /** Per exercise id: the visible run and the hidden runs. */
  runs: ReadonlyMap<string, { visible: ScoredRun; hidden: readonly ScoredRun[] }>;
  /** Kit file (e.g. 'affine.ts') → why it could not be loaded. */
  loadProblems: ReadonlyMap<string, string>;
  points: Readonly<Record<string, number>>;
  visibleWeight: number;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** The lines a run counts: passed and due (see the rule above). */
export function countLines({ report, referenceLines }: ScoredRun): { passed: number; due: number } {
  const passed = report.checks.filter((line) => line.pass).length;
  const written = report.checks.length + report.errors.length + report.notStarted.length;
  return { passed, due: Math.max(referenceLines, written) };
}

function part(max: number, runs: readonly ScoredRun[], zero: boolean): PartScore {
  let passed = 0;
  let due = 0;
  for (const run of runs) {
    const lines = countLines(run);
    passed += lines.passed;
    due += lines.due;
  }
  const score = zero || due === 0 ? 0 : round((max * passed) / due);
  return { score, max: round(max), passed, due };
}

export function scoreSubmission(input: ScoreInput): SubmissionScore {
  const exercises: ExerciseScore[] = [];
  for (const [id, { visible, hidden }] of input.runs) {
    const points = input.points[id] ?? 0;
    const { title, file } = visible.report;
    const reason = input.loadProblems.get(file);
    const weight = hidden.length === 0 ? 1 : input.visibleWeight;
    const visiblePart = part(points * weight, [visible], reason !== undefined);
    const hiddenPart = part(points - points * weight, hidden, reason !== undefined);
    const score: ExerciseScore = {
      id,
      title,
      file,
      score: round(visiblePart.score + hiddenPart.score),
      max: round(points),
      visible: visiblePart,
      hidden: hiddenPart,
    };
    if (reason !== undefined) score.reason = reason;
    exercises.push(score);
  }
  const total = round(exercises.reduce((sum, e) => sum + e.score, 0));
  const max = round(exercises.reduce((sum, e) => sum + e.max, 0));
  return { exercises, score: total, max };
}
