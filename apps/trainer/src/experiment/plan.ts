/**
 * Expands a config into its independent runs. Order: sweep point, then seed, then normalization, so
 * runs that are compared with each other sit next to each other and finish close together.
 */

import { formatNumber } from '../analysis/format.js';
import type { SweepParameter } from '../analysis/types.js';
import type { Norm, RunSpec, TrainConfig } from '../config.js';

export function sweepParameter(config: Pick<TrainConfig, 'experiment'>): SweepParameter | null {
  switch (config.experiment) {
    case 'init-sweep':
      return 'weightScale';
    case 'batch-sweep':
      return 'batchSize';
    case 'lr-sweep':
      return 'lr';
    default:
      return null;
  }
}

const ID_PREFIX: Record<SweepParameter, string> = { weightScale: 'ws', batchSize: 'bs', lr: 'lr' };

/** What the plan depends on: a TrainConfig, or the study config a sharded run folder records. */
export type PlanConfig = Pick<
  TrainConfig,
  | 'experiment'
  | 'weightScales'
  | 'batchSizes'
  | 'lrs'
  | 'seeds'
  | 'norms'
  | 'hidden'
  | 'weightScale'
  | 'batchSize'
  | 'lr'
>;

export function planRuns(config: PlanConfig): RunSpec[] {
  const parameter = sweepParameter(config);
  const values: (number | null)[] =
    parameter === 'weightScale'
      ? config.weightScales
      : parameter === 'batchSize'
        ? config.batchSizes
        : parameter === 'lr'
          ? config.lrs
          : [null];
  const runs: RunSpec[] = [];
  for (const value of values) {
    for (const seed of config.seeds) {
      for (const norm of config.norms) runs.push(spec(config, runs.length, norm, seed, parameter, value));
    }
  }
  return runs;
}

function spec(
  config: PlanConfig,
  index: number,
  norm: Norm,
  seed: number,
  parameter: SweepParameter | null,
  value: number | null,
): RunSpec {
  const point =
    parameter === null || value === null ? '' : `-${ID_PREFIX[parameter]}${formatNumber(value, 3)}`;
  return {
    id: `${norm}${point}-s${seed}`,
    index,
    norm,
    seed,
    hidden: [...config.hidden],
    weightScale: parameter === 'weightScale' ? value! : config.weightScale,
    batchSize: parameter === 'batchSize' ? value! : config.batchSize,
    lr: parameter === 'lr' ? value! : config.lr,
    sweepValue: parameter === null ? null : value,
  };
}
