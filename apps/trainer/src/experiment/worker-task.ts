/**
 * The pool's task module (loaded in each worker thread by pool/worker-entry.mjs): attach the shared data
 * once, then train one run per task, reporting every iteration.
 */
import type { LayerSet } from '@backprop-lab/layers';
import type { SolverProgress } from '@backprop-lab/optim';
import type { RunResult } from '../analysis/types.js';
import type { RunSpec } from '../config.js';
import { importKitFunctions, pickLayers } from '../student/load-kit.js';
import type { TaskLayers } from '../student/student-layers.js';
import { attachSharedData, type SharedData } from './data.js';
import { type RunData, type TrainSettings, trainRun } from './train-run.js';

export interface TrainTask {
  spec: RunSpec;
  settings: TrainSettings;
  /** A student kit's layers (checked before training), or null for the reference. */
  layers: TaskLayers | null;
}

/** One import of the kit per worker: every run of the worker uses the same functions. */
let kitLayers: Promise<Partial<LayerSet>> | null = null;

async function studentLayers(layers: TaskLayers): Promise<Partial<LayerSet>> {
  kitLayers ??= importKitFunctions(layers.kit).then(({ fns }) => pickLayers(fns, layers.chosen));
  return kitLayers;
}

export function setup(shared: SharedData): RunData {
  return attachSharedData(shared);
}

export async function runTask(
  task: TrainTask,
  data: RunData,
  emit: (progress: SolverProgress) => void,
): Promise<RunResult> {
  const layers = task.layers === null ? undefined : await studentLayers(task.layers);
  return trainRun(task.spec, task.settings, data, emit, layers);
}
