/**
 * Writes a grading's files into --out: <name>/results.json and <name>/feedback.md per submission, and
 * class.csv. The folder is opened like `pnpm train --out` (refused when it holds files, unless
 * --overwrite) and every file is written atomically.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXERCISES } from '@backprop-lab/assignment';
import { writeFileAtomicSync } from '@backprop-lab/fs-atomic';
import { classCsv } from './class-csv.js';
import type { GraderConfig } from './config.js';
import { feedbackMarkdown } from './feedback-md.js';
import type { GradeResult } from './grade-one.js';
import { gradescopeResults } from './results-json.js';

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function writeSubmission(out: string, result: GradeResult, config: GraderConfig): void {
  const dir = join(out, result.name);
  mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(join(dir, 'results.json'), json(gradescopeResults(result, config)));
  writeFileAtomicSync(join(dir, 'feedback.md'), feedbackMarkdown(result, config));
}

export function writeClassCsv(out: string, results: readonly GradeResult[]): void {
  writeFileAtomicSync(
    join(out, 'class.csv'),
    classCsv(
      results,
      EXERCISES.map((e) => e.id),
    ),
  );
}
