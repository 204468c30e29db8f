/** formatReport: the report as a text table, one row per check, the diagnosis under each exercise. */
import type { CheckLine, CheckReport, ExerciseReport } from './report.js';

const STATUS: Record<ExerciseReport['status'], string> = {
  pass: 'pass',
  fail: 'FAIL',
  partial: 'partial',
  'not started': 'not started',
};

function number(value: number | null): string {
  if (value === null) return '-';
  return Number.isNaN(value) ? 'NaN' : value.toExponential(1);
}

function row(check: CheckLine): string[] {
  return [`  ${check.name}`, number(check.relError), number(check.threshold), check.pass ? 'pass' : 'FAIL'];
}

function pad(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

function exerciseLines(exercise: ExerciseReport): string[] {
  const lines: string[] = [`${exercise.id} (src/${exercise.file}): ${STATUS[exercise.status]}`];
  const rows = exercise.checks.map(row);
  if (rows.length > 0) lines.push(...pad([['  check', 'rel error', 'threshold', 'result'], ...rows]));
  for (const check of exercise.checks)
    if (!check.pass && check.detail) lines.push(`  ✗ ${check.name}: ${check.detail}`);
  for (const name of exercise.notStarted) lines.push(`  · ${name}: not started`);
  for (const error of exercise.errors) lines.push(`  ✗ ${error}`);
  const step = exercise.firstDifferingStep;
  if (step) lines.push(`  → first step that differs: ${step.step}; it needs ${step.localDerivative}`);
  for (const m of exercise.mistakes) lines.push(`  → likely mistake: ${m.mistake}`, `    fix: ${m.fix}`);
  for (const note of exercise.notes) lines.push(`  note: ${note}`);
  return lines;
}

export function formatReport(report: CheckReport): string {
  const { pass, fail, partial, notStarted } = report.summary;
  const blocks = report.exercises.map((exercise) => exerciseLines(exercise).join('\n'));
  const total = `${pass} passed, ${fail} failed, ${partial} partial, ${notStarted} not started (seed ${report.seed})`;
  return `${blocks.join('\n\n')}\n\n${total}\n`;
}
