/**
 * The pool's task module (loaded in each worker thread by pool/worker-entry.mjs): attach the shared data
 * once, then train one run per task, reporting every iteration.
 */
import type { SolverProgress } from '@backprop-lab/optim';
import type { RunResult } from '../analysis/types.js';
import type { RunSpec } from '../config.js';
import { attachSharedData, type SharedData } from './data.js';
import { type RunData, type TrainSettings, trainRun } from './train-run.js';

export interface TrainTask {
  spec: RunSpec;
  settings: TrainSettings;
}

export function setup(shared: SharedData): RunData {
  return attachSharedData(shared);
}

export function runTask(task: TrainTask, data: RunData, emit: (progress: SolverProgress) => void): RunResult {
  return trainRun(task.spec, task.settings, data, emit);
}
