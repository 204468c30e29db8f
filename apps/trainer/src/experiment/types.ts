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
}

export interface LayerStats {
  /** 0-based iterations at which the statistics were sampled (on that iteration's minibatch). */
  iterations: number[];
  layers: LayerSeries[];
}

export type RunStatus = 'completed' | 'diverged';

export interface RunResult extends RunSpec {
  status: RunStatus;
  /** 1-based iteration whose loss was not finite (lossHistory[divergedAt - 1]); null when completed. */
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
  /** Accuracy on the test split of the parameters with the best validation accuracy. */
  testAcc: number | null;
  layerStats: LayerStats;
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
