/**
 * Writes a finished study's files into its run folder. Each file is written atomically and on its own: a
 * file that cannot be written (a full disk, a folder in the way) does not stop the others, so the results
 * of a study that took hours are not lost to a report that would not render or fit. Whatever could not be
 * written is named in one OutputError after the rest is on disk.
 */

import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { WriteError, writeFileAtomicSync } from '@backprop-lab/fs-atomic';
import { type Summary, summaryToJson } from '../analysis/summary.js';
import { OutputError } from '../errors.js';
import { renderReport } from '../report/html.js';
import { metricsCsv } from '../report/metrics-csv.js';

export interface OutputFiles {
  summary: string;
  metrics: string;
  report: string;
}

/** Some files of a finished study could not be written; `written` lists the ones that were. */
export class UnwrittenFilesError extends OutputError {
  constructor(
    message: string,
    readonly written: string[],
    readonly summary: Summary,
  ) {
    super(message);
  }
}

export async function writeOutputs(outDir: string, summary: Summary): Promise<OutputFiles> {
  const files: OutputFiles = {
    summary: join(outDir, 'summary.json'),
    metrics: join(outDir, 'metrics.csv'),
    report: join(outDir, 'report.html'),
  };
  // summary.json last: with every write succeeding, a summary.json on disk has its two files beside it.
  const plan: [string, () => string | Promise<string>][] = [
    [files.metrics, () => metricsCsv(summary.runs)],
    [files.report, () => renderReport(summary)],
    [files.summary, () => summaryToJson(summary)],
  ];
  const written: string[] = [];
  const failed: { file: string; why: string }[] = [];
  for (const [file, render] of plan) {
    try {
      // The run folder was made and locked first: should it vanish, recreating it would be wrong.
      writeFileAtomicSync(file, await render(), { createFolders: false });
      written.push(file);
    } catch (error) {
      // An older file of that name (--overwrite) must not pass for this study's.
      removeStale(file);
      failed.push({ file, why: error instanceof WriteError ? error.reason : String(error) });
    }
  }
  if (failed.length > 0) {
    const names = (list: string[]) => list.map((file) => basename(file)).join(', ');
    const wrote = written.length > 0 ? `wrote ${names(written)}; ` : '';
    const why = failed.map(({ file, why }) => `${basename(file)}: ${why}`).join('; ');
    throw new UnwrittenFilesError(
      `--out ${outDir}: ${wrote}could not write ${names(failed.map(({ file }) => file))} (${why})`,
      written,
      summary,
    );
  }
  return files;
}

function removeStale(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // A folder in the way (EISDIR) is no stale result; leave it.
  }
}
