/**
 * Gradescope's results.json for one submission (gradescope-autograders.readthedocs.io, "Autograder
 * Specifications"): the total as `score`, and per exercise one test for the visible checks (visibility
 * "visible") and one for the hidden checks (the config's hiddenVisibility). The schema the tests validate
 * it against is gradescope-results.schema.json beside this file.
 */
import type { GraderConfig } from './config.js';
import { hiddenLines, partText, visibleText } from './feedback-text.js';
import type { GradeResult } from './grade-one.js';

export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: 'visible' | 'hidden' | 'after_due_date' | 'after_published';
}

export interface GradescopeResults {
  score: number;
  output: string;
  stdout_visibility: 'hidden';
  tests: GradescopeTest[];
}

/** Text about the whole submission: why it was not graded, files that did not load, tampering. */
export function submissionNotes(result: GradeResult): string[] {
  const notes: string[] = [];
  if (result.failure) notes.push(`Not graded: ${result.failure}`);
  for (const [, reason] of result.loadProblems) notes.push(`Not loaded: ${reason}`);
  for (const line of result.tampered) notes.push(`Tampering: ${line}`);
  return notes;
}

export function gradescopeResults(result: GradeResult, config: GraderConfig): GradescopeResults {
  const tests: GradescopeTest[] = [];
  result.score.exercises.forEach((exercise, i) => {
    const visible = result.visible[i];
    const reason = exercise.reason ?? result.failure;
    const output = (lines: string[]) => (reason ? [`Scored 0: ${reason}`, ...lines] : lines).join('\n');
    const status = (score: number, max: number) => (score >= max ? 'passed' : 'failed');
    tests.push({
      name: `${exercise.id}: visible checks`,
      score: exercise.visible.score,
      max_score: exercise.visible.max,
      status: status(exercise.visible.score, exercise.visible.max),
      output: output(visible ? [partText('Visible checks', exercise.visible), visibleText(visible)] : []),
      visibility: 'visible',
    });
    if (config.hiddenRuns.length === 0) return;
    const hidden = result.hidden.map((run) => run[i]);
    tests.push({
      name: `${exercise.id}: hidden checks`,
      score: exercise.hidden.score,
      max_score: exercise.hidden.max,
      status: status(exercise.hidden.score, exercise.hidden.max),
      output: output(
        hidden.length > 0
          ? [
              partText(`Hidden checks (${hidden.length} runs, other seeds and sizes)`, exercise.hidden),
              ...hiddenLines(hidden),
            ]
          : [],
      ),
      visibility: config.hiddenVisibility,
    });
  });
  const notes = submissionNotes(result);
  const output = [`${result.score.score} / ${result.score.max} points`, ...notes].join('\n');
  return { score: result.score.score, output, stdout_visibility: 'hidden', tests };
}
