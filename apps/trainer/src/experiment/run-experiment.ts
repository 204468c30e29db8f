/**
 * runExperiment: the whole `pnpm train` job without the terminal. Loads the data, trains every run on
 * the worker pool, compares, and writes summary.json, metrics.csv and report.html (each atomically) to
 * the run folder. Aborting (signal) stops the runs still going and writes a report of the finished ones
 * marked incomplete. Never prints; progress goes to onProgress. One shard of a study runs with runShard.
 */
import { getBackend } from '@backprop-lab/tensor';
import type { DataInfo, Summary } from '../analysis/summary.js';
import { studyConfig } from '../analysis/summary.js';
import type { RunResult } from '../analysis/types.js';
import type { RunSpec, TrainConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { openDefaultRunFolder, openRunFolder, type RunFolder } from '../io/run-folder.js';
import { type LayersInfo, type TaskLayers, vetStudentLayers } from '../student/student-layers.js';
import type { SharedData } from './data.js';
import type { ExperimentOptions } from './events.js';
import { poolSize, prepareStudy } from './prepare.js';
import { buildSummary } from './summarize.js';
import { trainRuns } from './train-runs.js';
import { type OutputFiles, writeOutputs } from './write-outputs.js';

export type { ExperimentEvent, ExperimentOptions } from './events.js';

export interface ExperimentOutcome {
  summary: Summary;
  outDir: string;
  files: OutputFiles;
}

export async function runExperiment(
  config: TrainConfig,
  options: ExperimentOptions = {},
): Promise<ExperimentOutcome> {
  if (config?.shard != null)
    throw new UsageError(
      'runExperiment: config.shard is set; a shard runs with runShard (experiment/run-shard.ts)',
    );
  const { onProgress } = options;
  const now = options.now ?? (() => new Date());
  const started = now();
  const startedMs = performance.now();
  const study = await prepareStudy(config, (message) => onProgress?.({ type: 'data', message }));
  const { shared, info, specs } = study;
  // A student's broken backward stops the study here, in seconds, not as a silently bad chart.
  const layers = await vetStudentLayers(config, options.signal);
  for (const note of layers.notes) onProgress?.({ type: 'note', message: note });
  const workers = await poolSize(config, study, specs.length);
  // Before training, so an unusable or busy folder fails in a second rather than after the runs. Held
  // (locked) until the files are written.
  const folder: RunFolder =
    config.out === null
      ? openDefaultRunFolder(started, config.experiment)
      : openRunFolder(config.out, config.overwrite);
  const outDir = folder.dir;
  try {
    const outcome = await runAndWrite(config, options, {
      shared,
      info,
      specs,
      workers,
      outDir,
      started,
      startedMs,
      layers: layers.info,
      taskLayers: layers.task,
    });
    folder.close();
    return outcome;
  } catch (error) {
    // A run that fails before writing anything leaves no empty folder behind.
    folder.close({ failed: true });
    throw error;
  }
}

interface Prepared {
  shared: SharedData;
  info: DataInfo;
  specs: RunSpec[];
  workers: number;
  outDir: string;
  started: Date;
  startedMs: number;
  layers: LayersInfo;
  taskLayers: TaskLayers | null;
}

/** The three steps after preparation: train every run, summarize what finished, write the files. */
async function runAndWrite(
  config: TrainConfig,
  options: ExperimentOptions,
  prepared: Prepared,
): Promise<ExperimentOutcome> {
  const results = await trainAll(config, options, prepared);
  options.onProgress?.({ type: 'writing', outDir: prepared.outDir });
  const finishedAt = (options.now ?? (() => new Date()))();
  const summary = summarize(config, prepared, results, finishedAt);
  const files = await writeOutputs(prepared.outDir, summary);
  return { summary, outDir: prepared.outDir, files };
}

/** Trains every planned run on the worker pool; results by plan index, undefined for a run stopped. */
async function trainAll(
  config: TrainConfig,
  { onProgress, signal }: ExperimentOptions,
  { shared, specs, workers, outDir, taskLayers }: Prepared,
): Promise<(RunResult | undefined)[]> {
  onProgress?.({
    type: 'start',
    totalRuns: specs.length,
    workers,
    outDir,
    runIds: specs.map((spec) => spec.id),
  });
  const outcome = await trainRuns(config, shared, specs, {
    workers,
    layers: taskLayers,
    signal,
    onProgress,
  });
  return outcome.results;
}

/** The summary.json content through buildSummary, the one builder `pnpm train report` uses too. */
function summarize(
  config: TrainConfig,
  { info, specs, workers, started, startedMs, layers }: Prepared,
  results: readonly (RunResult | undefined)[],
  finishedAt: Date,
): Summary {
  return buildSummary({
    config: studyConfig(config),
    layers,
    data: info,
    specs,
    results,
    meta: {
      startedAt: started.toISOString(),
      finishedAt: finishedAt.toISOString(),
      wallTimeMs: Math.round(performance.now() - startedMs),
      workers,
      node: process.version,
      // Worker threads start with the same default, so this names the kernels every run used.
      backend: getBackend().name,
    },
  });
}
