/**
 * One training run: a FullyConnectedNet trained by the Solver on shared data, with diagnostics
 * (diagnostics.ts) sampled along the way and, for batchnorm, its train/test gap (bn-gap.ts). Synchronous and deterministic: the net's seed fixes the initial weights (the
 * same for every normalization, since gamma/beta draw no random numbers) and the Solver's seed fixes the
 * minibatch order, so the variants of one seed see the same start and the same batches.
 */
import { FullyConnectedNet, type LayerSet, type Normalization } from '@backprop-lab/layers';
import { checkAccuracy, Solver, type SolverProgress, type UpdateRuleName } from '@backprop-lab/optim';
import type { DType, Tensor } from '@backprop-lab/tensor';
import { divergenceBound } from '../analysis/stats.js';
import type { RunResult } from '../analysis/types.js';
import type { Optimizer, RunSpec } from '../config.js';
import { batchnormGap } from './bn-gap.js';
import { withDiagnostics } from './diagnostics.js';

export interface Split {
  X: Tensor;
  y: Int32Array;
}

export interface RunData {
  train: Split;
  val: Split;
  test: Split | null;
  numClasses: number;
}

/** The settings every run of an experiment shares (the per-run ones are in RunSpec). */
export interface TrainSettings {
  epochs: number;
  optimizer: Optimizer;
  lrDecay: number;
  reg: number;
  dropout: number;
  dtype: DType;
  statsEvery: number;
}

const RULES: Record<Optimizer, UpdateRuleName> = {
  sgd: 'sgd',
  momentum: 'sgdMomentum',
  rmsprop: 'rmsprop',
  adam: 'adam',
};

/** Rows scored per forward pass in accuracy checks (bounds memory, not results). */
const EVAL_BATCH = 500;

/** The run's net; its initial weights depend on the seed and sizes only, not on the normalization. */
export function buildNet(
  spec: RunSpec,
  settings: TrainSettings,
  data: RunData,
  layers?: Partial<LayerSet>,
): FullyConnectedNet {
  return new FullyConnectedNet({
    layers,
    hiddenDims: spec.hidden,
    inputDim: data.train.X.shape[1],
    numClasses: data.numClasses,
    normalization: spec.norm as Normalization,
    dropoutKeepRatio: settings.dropout,
    reg: settings.reg,
    weightScale: spec.weightScale,
    dtype: settings.dtype,
    seed: spec.seed,
  });
}

export function trainRun(
  spec: RunSpec,
  settings: TrainSettings,
  data: RunData,
  onProgress?: (progress: SolverProgress) => void,
  layers?: Partial<LayerSet>,
): RunResult {
  const net = buildNet(spec, settings, data, layers);
  const rows = data.train.X.shape[0];
  const iterationsPerEpoch = Math.max(Math.floor(rows / spec.batchSize), 1);
  const numIterations = iterationsPerEpoch * settings.epochs;
  const diagnostics = withDiagnostics(net, settings.statsEvery, numIterations);
  const gap =
    spec.norm === 'batchnorm'
      ? batchnormGap(net, buildNet(spec, { ...settings, dropout: 1 }, data, layers), data.val, spec.batchSize)
      : null;

  const accIterations: number[] = [];
  let finalTestAcc: number | null = null;
  const solver = new Solver(
    diagnostics.model,
    { XTrain: data.train.X, yTrain: data.train.y, XVal: data.val.X, yVal: data.val.y },
    {
      updateRule: RULES[settings.optimizer],
      optimConfig: { learningRate: spec.lr },
      lrDecay: settings.lrDecay,
      batchSize: spec.batchSize,
      numEpochs: settings.epochs,
      // All training rows for the accuracy checks: no subsample, so no extra random draws.
      numTrainSamples: null,
      numValSamples: null,
      seed: spec.seed,
      maxLoss: divergenceBound(data.numClasses),
      onProgress: (progress) => {
        diagnostics.afterStep(progress.iteration, solver.status.state === 'running');
        if (progress.trainAcc !== undefined) {
          accIterations.push(progress.iteration);
          gap?.measure(progress.iteration);
        }
        // Before the Solver puts the best model back: the last epoch's net, as it ended.
        if (progress.iteration === numIterations && data.test) finalTestAcc = accuracy(net, data.test);
        onProgress?.(progress);
      },
    },
  );
  const result = solver.trainSync();
  const diverged = result.status.state === 'diverged';
  const lossHistory = [...result.lossHistory];
  const lastEpoch = lossHistory.slice(-iterationsPerEpoch);
  return {
    ...spec,
    status: diverged ? 'diverged' : 'completed',
    divergedAt: result.status.state === 'diverged' ? result.status.iteration - 1 : null,
    iterationsPerEpoch,
    numIterations,
    lossHistory,
    accIterations,
    trainAccHistory: [...result.trainAccHistory],
    valAccHistory: [...result.valAccHistory],
    bestValAcc: result.bestValAcc,
    bestTrainAcc: result.trainAccHistory.length ? Math.max(...result.trainAccHistory) : 0,
    finalLoss: diverged ? null : lastEpoch.reduce((total, loss) => total + loss, 0) / lastEpoch.length,
    // The Solver has put the best-validation model (parameters and running statistics) back into the net.
    // A run that diverged at its first loss never had an accuracy check, hence no best model to score.
    testAcc: data.test && result.valAccHistory.length > 0 ? accuracy(net, data.test) : null,
    finalTestAcc: diverged ? null : finalTestAcc,
    layerStats: diagnostics.stats,
    bnGap: gap?.gap ?? null,
  };
}

/** Fraction of a split's rows whose top score is the label, scored in test mode (optim's checkAccuracy). */
export function accuracy(net: FullyConnectedNet, split: Split): number {
  return checkAccuracy(net, split.X, split.y, { batchSize: EVAL_BATCH });
}
