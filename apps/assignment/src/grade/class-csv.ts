/**
 * class.csv: one row per submission (sorted by name), a column per exercise, the total, and a reason
 * column saying why a submission or a file scored 0, or what was changed outside the exercises.
 */
import { stringify } from 'csv-stringify/sync';
import type { GradeResult } from './grade-one.js';
import { submissionNotes } from './results-json.js';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with ' (OWASP's advice for
 * CSV injection): names and reasons come from submissions.
 */
const inert = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

export function classCsv(results: readonly GradeResult[], exerciseIds: readonly string[]): string {
  const rows = results.map((result) => {
    const byId = new Map(result.score.exercises.map((e) => [e.id, e.score]));
    return [
      inert(result.name),
      ...exerciseIds.map((id) => byId.get(id) ?? 0),
      result.score.score,
      inert(submissionNotes(result).join('; ')),
    ];
  });
  return stringify([['submission', ...exerciseIds, 'total', 'reason'], ...rows]);
}
