/**
 * The words a student reads about one exercise: the visible run as `pnpm check` prints it, and the hidden
 * runs summarised without their inputs or values (check names, mistakes and fixes, counts only; not even
 * the student's own error messages, which could echo a hidden input).
 */
import { type ExerciseReport, formatReport } from '@backprop-lab/assignment';
import type { PartScore } from './score.js';

/** The visible run's block, exactly as the kit's `pnpm check` prints this exercise. */
export function visibleText(report: ExerciseReport): string {
  const summary = { pass: 0, fail: 0, partial: 0, notStarted: 0 };
  // formatReport prints exercise blocks, then a blank line and a summary: the block alone is wanted.
  return formatReport({ seed: 0, exercises: [report], summary, ok: true }).split('\n\n')[0];
}

/** What the hidden runs of one exercise say, in lines that give no input or value away. */
export function hiddenLines(runs: readonly ExerciseReport[]): string[] {
  const failing = new Map<string, number>();
  const mistakes = new Map<string, { mistake: string; fix: string }>();
  const notStarted = new Set<string>();
  const steps = new Set<string>();
  let erroredRuns = 0;
  for (const run of runs) {
    for (const check of run.checks)
      if (!check.pass) failing.set(check.name, (failing.get(check.name) ?? 0) + 1);
    for (const m of run.mistakes) mistakes.set(m.id, m);
    for (const name of run.notStarted) notStarted.add(name);
    if (run.firstDifferingStep) steps.add(run.firstDifferingStep.step);
    if (run.errors.length > 0) erroredRuns++;
  }
  const lines: string[] = [];
  const of = (count: number) => `${count} of ${runs.length} run${runs.length === 1 ? '' : 's'}`;
  for (const [name, count] of failing) lines.push(`✗ ${name} (fails in ${of(count)})`);
  if (erroredRuns > 0)
    lines.push(`✗ a function threw or returned the wrong kind of value in ${of(erroredRuns)}`);
  for (const name of notStarted) lines.push(`· ${name}: not started`);
  for (const step of steps) lines.push(`→ first step that differs: ${step}`);
  for (const m of mistakes.values()) lines.push(`→ likely mistake: ${m.mistake}`, `  fix: ${m.fix}`);
  return lines;
}

export function partText(label: string, part: PartScore): string {
  return `${label}: ${part.passed}/${part.due} check lines pass, ${part.score} / ${part.max} points`;
}
