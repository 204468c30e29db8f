/**
 * A run folder's three report files with what may differ between a sharded and a one-machine run of the
 * same study taken out (the definition is in experiment/report-from-runs.ts): summary.json's `meta`, and
 * the one line of report.html built from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ComparableReport {
  summary: unknown;
  metrics: string;
  report: string;
}

export function comparableReport(dir: string): ComparableReport {
  const { meta: _meta, ...summary } = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  return {
    summary,
    metrics: readFileSync(join(dir, 'metrics.csv'), 'utf8'),
    report: readFileSync(join(dir, 'report.html'), 'utf8').replace(
      /<p>Started [^\n]*<\/p>/,
      '<p>Started (meta)</p>',
    ),
  };
}
