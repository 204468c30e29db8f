/** What one training run produces, and what the comparison and sweep summaries hold. */
import type { Norm, RunSpec } from '../config.js';

/** Per hidden layer statistics, one entry per sampled iteration (see LayerStats.iterations). */
export interface LayerSeries {
  /** 1-based hidden layer index (layer l is affine l, its normalization and ReLU). */
  layer: number;
  /** Mean and std of the layer's output after normalization and ReLU (before dropout), over batch and units. */
  actMean: number[];
  actStd: number[];
  /** ‖dW_l‖ (Frobenius, regularization included): the size of this layer's update. */
  gradNorm: number[];
  /** ‖d(activation_l)‖: the gradient arriving at this layer's output from above. */
  actGradNorm: number[];
  /** Fraction of the layer's units whose ReLU output is 0 for every row of the minibatch. */
  deadFraction: number[];
}

/** Per weight matrix W1..WL (the output layer's included), at the same sampled iterations. */
export interface WeightSeries {
  name: string;
  /** ‖dW‖ / ‖W‖ (Frobenius; dW with regularization), before the iteration's update. */
  gradRatio: number[];
  /**
   * log10(‖ΔW‖ / ‖W‖), ΔW the update the iteration applied (lr·update, whatever the rule): the
   * update:data ratio, healthy near −3. null when no update was applied (the diverged iteration).
   */
  updateRatio: (number | null)[];
}

export type HistogramStage = 'start' | 'middle' | 'end';

/** Fractions of the N·H entries of one minibatch (they sum to 1 with `zero`). */
export interface Histogram {
  /** Exact zeros (for activations: units off after ReLU). */
  zero: number;
  /** Nonzero entries by log10|x|, bin b covering [log10Min + b·binWidth, + binWidth); ends clamp. */
  counts: number[];
}

export interface HistogramSnapshot {
  stage: HistogramStage;
  /** 0-based iteration whose minibatch it is. */
  iteration: number;
  /** Per hidden layer: its output after ReLU and the gradient arriving at it. */
  layers: { layer: number; activation: Histogram; gradient: Histogram }[];
}

export interface LayerStats {
  /** 0-based iterations at which the statistics were sampled (on that iteration's minibatch). */
  iterations: number[];
  layers: LayerSeries[];
  weights: WeightSeries[];
  histogramBins: { log10Min: number; log10Max: number; binWidth: number };
  /** Start, middle and end of training (fewer when the run diverged first). */
  histograms: HistogramSnapshot[];
}

/** Batchnorm's train/test gap on the first `rows` validation rows, at every accuracy check. */
export interface BatchnormGap {
  rows: number;
  /** Minibatch size of the batch-statistics passes (the run's). */
  batchSize: number;
  /** Iterations completed at each measurement, as RunResult.accIterations. */
  iterations: number[];
  /** Train mode: each minibatch normalized by its own mean and variance. Softmax loss without reg. */
  batchStats: { loss: number[]; acc: number[] };
  /** Test mode: normalized by the running statistics. */
  runningStats: { loss: number[]; acc: number[] };
}

/**
 * 'diverged': a minibatch loss was not finite or exceeded the study's bound (summary.maxLoss,
 * 10 · ln C); training stopped there.
 */
export type RunStatus = 'completed' | 'diverged';

export interface RunResult extends RunSpec {
  status: RunStatus;
  /**
   * 0-based iteration whose loss diverged (lossHistory[divergedAt], its `step` in metrics.csv), which is
   * also the number of updates applied before it: 0 when the initial weights already gave such a loss.
   * null when completed.
   */
  divergedAt: number | null;
  iterationsPerEpoch: number;
  /** Iterations planned (epochs × iterations per epoch); lossHistory is shorter when diverged. */
  numIterations: number;
  /** Training loss of every iteration's minibatch. */
  lossHistory: number[];
  /** Iterations completed when each accuracy entry was measured: 1 (after the first step), then each epoch end. */
  accIterations: number[];
  trainAccHistory: number[];
  valAccHistory: number[];
  bestValAcc: number;
  bestTrainAcc: number;
  /** Mean training loss over the last epoch's iterations; null when diverged. */
  finalLoss: number | null;
  /**
   * Accuracy on the test split of the model with the best validation accuracy: its parameters and
   * the batchnorm running statistics it had then.
   */
  testAcc: number | null;
  /** Accuracy on the test split of the model after the last epoch; null when diverged or no test split. */
  finalTestAcc: number | null;
  layerStats: LayerStats;
  /** Batchnorm runs only; null otherwise. */
  bnGap: BatchnormGap | null;
}

/** Mean ± sample standard deviation over n values (std is 0 when n = 1; null fields when n = 0). */
export interface Stat {
  mean: number | null;
  std: number | null;
  n: number;
}

export interface Threshold {
  value: number;
  /** 'auto' when chosen from the runs (rule in docs/report-schema.md), 'flag' when given. */
  source: 'auto' | 'flag';
}

export interface VariantComparison {
  norm: Norm;
  runs: number;
  diverged: number;
  /** Iterations until the smoothed training loss first fell to the loss threshold (runs that reached it). */
  itersToLoss: Stat;
  /** Iterations until the validation accuracy first reached the accuracy threshold (runs that reached it). */
  itersToVal: Stat;
  /** Area under the training-loss curve divided by the iterations (= mean loss over the run). */
  lossAuc: Stat;
  finalLoss: Stat;
  bestValAcc: Stat;
  bestTrainAcc: Stat;
  testAcc: Stat;
  finalTestAcc: Stat;
  /** baseline iterations ÷ this variant's, paired by seed over seeds where both reached; null for the baseline. */
  speedupLoss: Stat | null;
  speedupVal: Stat | null;
}

export interface Comparison {
  baseline: Norm;
  /** Window of the trailing mean used to smooth the minibatch loss before threshold crossing. */
  smoothingWindow: number;
  lossThreshold: Threshold | null;
  valThreshold: Threshold | null;
  variants: VariantComparison[];
}

export type SweepParameter = 'weightScale' | 'batchSize' | 'lr';

export interface SweepPoint {
  norm: Norm;
  value: number;
  runs: number;
  diverged: number;
  bestValAcc: Stat;
  bestTrainAcc: Stat;
  finalLoss: Stat;
}

export interface Sweep {
  parameter: SweepParameter;
  label: string;
  points: SweepPoint[];
}
