/**
 * The trainer's resolved configuration: what `pnpm train` flags, a `--config` file and the experiment
 * presets resolve to. Every field is filled; `runExperiment` takes exactly this.
 */
import type { DType } from '@backprop-lab/tensor';

export const EXPERIMENTS = ['compare', 'init-sweep', 'batch-sweep', 'lr-sweep'] as const;
export type Experiment = (typeof EXPERIMENTS)[number];

export const NORMS = ['none', 'batchnorm', 'layernorm'] as const;
export type Norm = (typeof NORMS)[number];

/** Flag spellings; `momentum` is CS231n's `sgd_momentum` (optim's `sgdMomentum`). */
export const OPTIMIZERS = ['sgd', 'momentum', 'rmsprop', 'adam'] as const;
export type Optimizer = (typeof OPTIMIZERS)[number];

export interface TrainConfig {
  experiment: Experiment;
  /** CSV paths; null means the built-in dataset (generated into datasets/ on first use). */
  train: string | null;
  val: string | null;
  test: string | null;
  /** Training rows used (the first N of the file); null = all. */
  numTrain: number | null;
  hidden: number[];
  norms: Norm[];
  epochs: number;
  batchSize: number;
  optimizer: Optimizer;
  lr: number;
  lrDecay: number;
  weightScale: number;
  reg: number;
  /** Probability of keeping a unit (1 = no dropout), the 2018+ CS231n convention. */
  dropout: number;
  seeds: number[];
  dtype: DType;
  /** A student kit folder whose layers replace the reference's where started; null = the reference. */
  layers: string | null;
  /** Sweep points; each applies only to its own experiment. */
  weightScales: number[];
  batchSizes: number[];
  lrs: number[];
  /** Comparison thresholds; null = chosen from the data (see docs/report-schema.md). */
  lossThreshold: number | null;
  valThreshold: number | null;
  /** Per-layer statistics are sampled every this many iterations (and at the first and last). */
  statsEvery: number;
  workers: number;
  /** Run only this shard of the plan, each finished run as its own file in `out` (see experiment/shard.ts). */
  shard: Shard | null;
  /** Run folder; null = runs/<timestamp>-<experiment>/ under the current directory. */
  out: string | null;
  /** Write into an --out folder that already holds files (replacing summary.json, metrics.csv, report.html). */
  overwrite: boolean;
  json: boolean;
  progress: boolean;
}

/** One of `count` parts of a study's planned runs (`--shard index/count`); index is 0-based. */
export interface Shard {
  index: number;
  count: number;
}

/** One independent training run: a point of the experiment's grid for one seed and one normalization. */
export interface RunSpec {
  /** Stable id, e.g. `batchnorm-s1` or `none-ws1e-3-s2`; also the `run` column of metrics.csv. */
  id: string;
  index: number;
  norm: Norm;
  seed: number;
  hidden: number[];
  weightScale: number;
  batchSize: number;
  lr: number;
  /** The swept value for sweeps (weight scale, batch size or learning rate); null for compare. */
  sweepValue: number | null;
}
