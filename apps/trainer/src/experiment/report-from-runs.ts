/**
 * `pnpm train report dir`: summary.json, metrics.csv and report.html of a sharded study from the runs its
 * folder holds, built by the same buildSummary and writeOutputs as a one-machine `pnpm train`. The runs
 * not there yet are listed in summary.missingRuns (complete: false), as an interrupted run's are.
 *
 * What "the same report" means (tested in report-from-runs.test.ts): given the same RunResults,
 * summary.json equals a one-machine run's in every field but `meta`, metrics.csv is identical byte for
 * byte, and report.html is identical except its one line built from `meta` ("Started ..., N s on ...").
 * `meta` describes the tasks instead: the earliest start, the last run's end, their workers added up.
 */
import { join } from 'node:path';
import type { RunMeta, Summary } from '../analysis/summary.js';
import type { RunResult } from '../analysis/types.js';
import { UsageError } from '../errors.js';
import { lockFolder } from '../io/lock.js';
import { REFERENCE_LAYERS } from '../student/student-layers.js';
import { planRuns } from './plan.js';
import { readStoredStudy, type TaskRecord } from './run-store.js';
import { buildSummary } from './summarize.js';
import { type OutputFiles, writeOutputs } from './write-outputs.js';

export interface ReportOutcome {
  summary: Summary;
  outDir: string;
  files: OutputFiles;
}

export async function reportRunFolder(dir: string): Promise<ReportOutcome> {
  const summary = summarizeRunFolder(dir);
  // Two reports at once would race on the same three files; shards take no lock and go on meanwhile.
  const lock = lockFolder(dir, 'report');
  try {
    const files = await writeOutputs(dir, summary);
    return { summary, outDir: dir, files };
  } finally {
    lock.release();
  }
}

/** The Summary of what the folder holds now (reads only). */
export function summarizeRunFolder(dir: string): Summary {
  const { study, runs } = readStoredStudy(dir);
  const specs = planRuns(study.config);
  const planned = specs.map((spec) => spec.id);
  if (planned.join('\n') !== study.runIds.join('\n'))
    throw new UsageError(
      `${join(dir, 'study.json')}: its runIds are not the plan of its config (written by another version of the trainer?)`,
    );
  const results: (RunResult | undefined)[] = specs.map((spec) => runs.get(spec.id)?.run);
  return buildSummary({
    config: study.config,
    // runShard refuses --layers, so a sharded study always ran the reference layers.
    layers: REFERENCE_LAYERS,
    data: study.data,
    specs,
    results,
    meta: metaOfTasks([...runs.values()].map(({ task }) => task)),
  });
}

/** One RunMeta for the tasks that ran the runs: from the first start to the last finished run. */
export function metaOfTasks(tasks: readonly TaskRecord[]): RunMeta {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const distinct = (values: string[]) => [...new Set(values)].sort().join(', ');
  const starts = tasks.map((task) => task.startedAt).sort();
  const ends = tasks.map((task) => task.finishedAt).sort();
  const startedAt = starts[0] ?? '';
  const finishedAt = ends.at(-1) ?? '';
  return {
    startedAt,
    finishedAt,
    wallTimeMs: tasks.length === 0 ? 0 : Date.parse(finishedAt) - Date.parse(startedAt),
    workers: [...byId.values()].reduce((sum, task) => sum + task.workers, 0),
    node: distinct(tasks.map((task) => task.node)),
    backend: distinct(tasks.map((task) => task.backend)),
  };
}
