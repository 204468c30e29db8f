/**
 * What every way of running a study does before training: check the config, load the data, plan the runs,
 * size the worker pool. runExperiment (the whole study) and runShard (one shard of it) both start here.
 */

import type { DataInfo } from '../analysis/summary.js';
import type { RunSpec, TrainConfig } from '../config.js';
import { availableWorkers } from '../pool/pool.js';
import { checkBatchSizes, checkConfig } from './check-config.js';
import { loadSharedData, type SharedData } from './data.js';
import { checkNetSize } from './net-size.js';
import { planRuns } from './plan.js';
import { slurmCpus } from './shard.js';

export interface PreparedStudy {
  shared: SharedData;
  info: DataInfo;
  /** Names the file whose largest label set the class count (for checkNetSize's message). */
  labelSource: string;
  /** Every planned run of the study, in plan order. */
  specs: RunSpec[];
}

export async function prepareStudy(
  config: TrainConfig,
  onData?: (message: string) => void,
): Promise<PreparedStudy> {
  checkConfig(config);
  onData?.('loading data');
  const { shared, info, labelSource } = await loadSharedData(config);
  // With --num-train all the training rows are known only now (a number was checked with the config).
  if (config.numTrain === null)
    checkBatchSizes(
      config,
      info.train.rows,
      `--num-train all: ${info.train.builtIn ? 'the built-in training split' : `--train ${info.train.path}`}`,
    );
  return { shared, info, labelSource, specs: planRuns(config) };
}

/**
 * Worker threads for `runs` runs: --workers, else the cores SLURM gave this task, else one per core (a
 * SLURM task without cgroups sees every core of the node, so its allocation must be asked for by name).
 * Checks that that many copies of the net fit in memory.
 */
export async function poolSize(config: TrainConfig, study: PreparedStudy, runs: number): Promise<number> {
  const wanted = config.workers > 0 ? config.workers : (slurmCpus() ?? (await availableWorkers()));
  const workers = Math.max(1, Math.min(wanted, runs));
  checkNetSize(
    {
      features: study.info.train.features,
      hidden: config.hidden,
      numClasses: study.info.numClasses,
      dtype: config.dtype,
      workers,
    },
    study.labelSource,
  );
  return workers;
}
