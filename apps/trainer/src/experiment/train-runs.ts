/**
 * Trains a list of runs on the worker pool, reporting each iteration and each finished run. Shared by
 * runExperiment (every planned run) and runShard (the shard's runs not yet in the folder).
 */
import type { SolverProgress } from '@backprop-lab/optim';
import type { RunResult } from '../analysis/types.js';
import type { RunSpec, TrainConfig } from '../config.js';
import { type PoolOutcome, runPool } from '../pool/pool.js';
import type { TaskLayers } from '../student/student-layers.js';
import type { SharedData } from './data.js';
import type { ExperimentEvent } from './events.js';
import type { TrainSettings } from './train-run.js';
import type { TrainTask } from './worker-task.js';

const TASK_MODULE = new URL('./worker-task.ts', import.meta.url);

export interface TrainRunsOptions {
  workers: number;
  /** A student kit's layers (--layers), rebuilt in each worker; none: the reference layers. */
  layers?: TaskLayers | null;
  signal?: AbortSignal;
  onProgress?: (event: ExperimentEvent) => void;
  /** Called as each run finishes (before its run-done event), e.g. to save it at once. */
  onRun?: (runIndex: number, run: RunResult) => void;
}

/** Results by index into `specs`; runIndex in events is that index too. */
export function trainRuns(
  config: TrainConfig,
  shared: SharedData,
  specs: readonly RunSpec[],
  { workers, layers = null, signal, onProgress, onRun }: TrainRunsOptions,
): Promise<PoolOutcome<RunResult>> {
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
  return runPool<TrainTask, RunResult, SolverProgress>(
    specs.map((spec) => ({ spec, settings, layers })),
    {
      workers,
      taskModule: TASK_MODULE,
      shared,
      signal,
      onEvent: (runIndex, progress) =>
        onProgress?.({ type: 'iteration', runIndex, runId: specs[runIndex].id, ...progress }),
      onResult: (runIndex, run) => {
        finished++;
        onRun?.(runIndex, run);
        onProgress?.({ type: 'run-done', runIndex, run, finished, totalRuns: specs.length });
      },
    },
  );
}
