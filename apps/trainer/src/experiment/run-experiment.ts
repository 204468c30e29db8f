/**
 * runExperiment: the whole `pnpm train` job without the terminal. Loads the data, trains every run on
 * the worker pool, compares, and writes summary.json, metrics.csv and report.html (each atomically) to
 * the run folder. Aborting (signal) stops the runs still going and writes a report of the finished ones
 * marked incomplete. Never prints; progress goes to onProgress.
 */
import type { SolverProgress } from '@backprop-lab/optim';
import { getBackend } from '@backprop-lab/tensor';
import { compareRuns } from '../analysis/compare.js';
import { writeConclusion } from '../analysis/conclusion.js';
import { divergenceBound } from '../analysis/stats.js';
import { type DataInfo, SCHEMA_VERSION, type Summary, studyConfig } from '../analysis/summary.js';
import { summarizeSweep } from '../analysis/sweep.js';
import type { RunResult } from '../analysis/types.js';
import type { RunSpec, TrainConfig } from '../config.js';
import { openDefaultRunFolder, openRunFolder, type RunFolder } from '../io/run-folder.js';
import { availableWorkers, runPool } from '../pool/pool.js';
import { checkBatchSizes, checkConfig } from './check-config.js';
import { loadSharedData, type SharedData } from './data.js';
import { checkNetSize } from './net-size.js';
import { planRuns, sweepParameter } from './plan.js';
import type { TrainSettings } from './train-run.js';
import type { TrainTask } from './worker-task.js';
import { type OutputFiles, writeOutputs } from './write-outputs.js';

export type ExperimentEvent =
  | { type: 'data'; message: string }
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
}

/** The three steps after preparation: train every run, summarize what finished, write the files. */
async function runAndWrite(
  config: TrainConfig,
  options: ExperimentOptions,
  prepared: Prepared,
): Promise<ExperimentOutcome> {
  const trained = await trainAll(config, options, prepared);
  options.onProgress?.({ type: 'writing', outDir: prepared.outDir });
  const finishedAt = (options.now ?? (() => new Date()))();
  const summary = summarize(config, prepared, trained, finishedAt);
  const files = await writeOutputs(prepared.outDir, summary);
  return { summary, outDir: prepared.outDir, files };
}

interface Trained {
  /** Finished runs in plan order. */
  runs: RunResult[];
  /** Ids of the planned runs that did not finish (interrupted). */
  missingRuns: string[];
  complete: boolean;
}

/** Trains every planned run on the worker pool; an abort keeps the runs finished so far. */
async function trainAll(
  config: TrainConfig,
  { onProgress, signal }: ExperimentOptions,
  { shared, specs, workers, outDir }: Prepared,
): Promise<Trained> {
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
    specs.map((spec) => ({ spec, settings })),
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
  return {
    runs: outcome.results.filter((run): run is RunResult => run !== undefined),
    missingRuns: specs.filter((_, i) => outcome.results[i] === undefined).map((spec) => spec.id),
    complete: !outcome.aborted,
  };
}

/** The summary.json content: the comparison or sweep of the finished runs, and the conclusion. */
function summarize(
  config: TrainConfig,
  { info, specs, workers, started, startedMs }: Prepared,
  { runs, missingRuns, complete }: Trained,
  finishedAt: Date,
): Summary {
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
  return {
    schemaVersion: SCHEMA_VERSION,
    experiment: config.experiment,
    complete,
    plannedRuns: specs.length,
    missingRuns,
    norms: [...config.norms],
    maxLoss: divergenceBound(info.numClasses),
    config: studyConfig(config),
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
      finishedAt: finishedAt.toISOString(),
      wallTimeMs: Math.round(performance.now() - startedMs),
      workers,
      node: process.version,
      // Worker threads start with the same default, so this names the kernels every run used.
      backend: getBackend().name,
    },
  };
}
