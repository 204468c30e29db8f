/**
 * runExperiment: the whole `pnpm train` job without the terminal. Loads the data, trains every run on
 * the worker pool, compares, and writes summary.json, metrics.csv and report.html (each atomically) to
 * the run folder. Aborting (signal) stops the runs still going and writes a report of the finished ones
 * marked incomplete. Never prints; progress goes to onProgress.
 */
import type { SolverProgress } from '@backprop-lab/optim';
import { getBackend } from '@backprop-lab/tensor';
import type { RunSpec, TrainConfig } from '../config.js';
import { openDefaultRunFolder, openRunFolder, type RunFolder } from '../io/run-folder.js';
import { availableWorkers, runPool } from '../pool/pool.js';
import { writeConclusion } from '../report/conclusion.js';
import { type DataInfo, SCHEMA_VERSION, type Summary, studyConfig } from '../report/summary.js';
import { type LayersInfo, type TaskLayers, vetStudentLayers } from '../student/student-layers.js';
import { checkBatchSizes, checkConfig } from './check-config.js';
import { compareRuns } from './compare.js';
import { loadSharedData, type SharedData } from './data.js';
import { checkNetSize } from './net-size.js';
import { planRuns, sweepParameter } from './plan.js';
import { divergenceBound } from './stats.js';
import { summarizeSweep } from './sweep.js';
import type { TrainSettings } from './train-run.js';
import type { RunResult } from './types.js';
import type { TrainTask } from './worker-task.js';
import { type OutputFiles, writeOutputs } from './write-outputs.js';

export type ExperimentEvent =
  | { type: 'data'; message: string }
  /** Printed whatever the progress display: what the user must know (e.g. which layers run). */
  | { type: 'note'; message: string }
  | { type: 'start'; totalRuns: number; workers: number; outDir: string; runIds: string[] }
  | ({ type: 'iteration'; runIndex: number; runId: string } & SolverProgress)
  | { type: 'run-done'; runIndex: number; run: RunResult; finished: number; totalRuns: number }
  | { type: 'writing'; outDir: string };

export interface ExperimentOptions {
  onProgress?: (event: ExperimentEvent) => void;
  signal?: AbortSignal;
  /** Clock for the default run folder name and the summary's meta timestamps (injectable). */
  now?: () => Date;
}

export interface ExperimentOutcome {
  summary: Summary;
  outDir: string;
  files: OutputFiles;
}

const TASK_MODULE = new URL('./worker-task.ts', import.meta.url);

export async function runExperiment(
  config: TrainConfig,
  options: ExperimentOptions = {},
): Promise<ExperimentOutcome> {
  checkConfig(config);
  const { onProgress } = options;
  const now = options.now ?? (() => new Date());
  const started = now();
  const startedMs = performance.now();
  // A student's broken backward stops the study here, in seconds, not as a silently bad chart.
  const layers = await vetStudentLayers(config, options.signal);
  for (const note of layers.notes) onProgress?.({ type: 'note', message: note });
  onProgress?.({ type: 'data', message: 'loading data' });
  const { shared, info, labelSource } = await loadSharedData(config);
  // With --num-train all the training rows are known only now (a number was checked with the config).
  if (config.numTrain === null)
    checkBatchSizes(
      config,
      info.train.rows,
      `--num-train all: ${info.train.builtIn ? 'the built-in training split' : `--train ${info.train.path}`}`,
    );
  const specs = planRuns(config);
  const workers = Math.min(config.workers > 0 ? config.workers : await availableWorkers(), specs.length);
  checkNetSize(
    {
      features: info.train.features,
      hidden: config.hidden,
      numClasses: info.numClasses,
      dtype: config.dtype,
      workers,
    },
    labelSource,
  );
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

async function runAndWrite(
  config: TrainConfig,
  options: ExperimentOptions,
  { shared, info, specs, workers, outDir, started, startedMs, layers, taskLayers }: Prepared,
): Promise<ExperimentOutcome> {
  const { onProgress, signal } = options;
  const now = options.now ?? (() => new Date());
  onProgress?.({
    type: 'start',
    totalRuns: specs.length,
    workers,
    outDir,
    runIds: specs.map((spec) => spec.id),
  });

  const settings: TrainSettings = {
    epochs: config.epochs,
    optimizer: config.optimizer,
    lrDecay: config.lrDecay,
    reg: config.reg,
    dropout: config.dropout,
    dtype: config.dtype,
    statsEvery: config.statsEvery,
  };
  let finished = 0;
  const outcome = await runPool<TrainTask, RunResult, SolverProgress>(
    specs.map((spec) => ({ spec, settings, layers: taskLayers })),
    {
      workers,
      taskModule: TASK_MODULE,
      shared,
      signal,
      onEvent: (runIndex, progress) =>
        onProgress?.({ type: 'iteration', runIndex, runId: specs[runIndex].id, ...progress }),
      onResult: (runIndex, run) => {
        finished++;
        onProgress?.({ type: 'run-done', runIndex, run, finished, totalRuns: specs.length });
      },
    },
  );
  const runs = outcome.results.filter((run): run is RunResult => run !== undefined);
  const complete = !outcome.aborted;

  onProgress?.({ type: 'writing', outDir });
  const parameter = sweepParameter(config);
  const comparison =
    parameter === null && runs.length > 0
      ? compareRuns(runs, {
          norms: config.norms,
          lossThreshold: config.lossThreshold,
          valThreshold: config.valThreshold,
        })
      : null;
  const sweep = parameter !== null && runs.length > 0 ? summarizeSweep(runs, parameter, config.norms) : null;
  const summary: Summary = {
    schemaVersion: SCHEMA_VERSION,
    experiment: config.experiment,
    complete,
    plannedRuns: specs.length,
    missingRuns: specs.filter((_, i) => outcome.results[i] === undefined).map((spec) => spec.id),
    norms: [...config.norms],
    maxLoss: divergenceBound(info.numClasses),
    config: studyConfig(config),
    layers,
    data: info,
    runs,
    comparison,
    sweep,
    conclusion: writeConclusion({
      experiment: config.experiment,
      norms: config.norms,
      runs,
      plannedRuns: specs.length,
      complete,
      comparison,
      sweep,
      numClasses: info.numClasses,
    }),
    meta: {
      startedAt: started.toISOString(),
      finishedAt: now().toISOString(),
      wallTimeMs: Math.round(performance.now() - startedMs),
      workers,
      node: process.version,
      // Worker threads start with the same default, so this names the kernels every run used.
      backend: getBackend().name,
    },
  };
  const files = await writeOutputs(outDir, summary);
  return { summary, outDir, files };
}
