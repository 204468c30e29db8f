import {
  copyInPlace,
  createRng,
  gatherRows,
  permutation,
  type Rng,
  restoreRng,
  type Tensor,
} from '@backprop-lab/tensor';
import { checkAccuracy } from './accuracy.js';
import { describe } from './check.js';
import { type CheckpointState, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import {
  checkData,
  checkModel,
  copyRunningStats,
  type Model,
  type RunningStats,
  type SolverData,
  setRunningStats,
} from './model.js';
import { checkResumable, type ResumeOptions, resumeOptions } from './resume.js';
import { type ResolvedOptions, readOptions, type SolverOptions } from './solver-options.js';
import { type OptimState, updateParams } from './update-params.js';

/**
 * Where a Solver stands. 'diverged': the loss of iteration `iteration` (1-based) was NaN, infinite or
 * above options.maxLoss; training stopped there and that step's update was not applied. 'failed':
 * train() threw (the model or onProgress did); the error went to the caller.
 */
export type SolverStatus =
  | { state: 'ready' }
  | { state: 'running' }
  | { state: 'completed' }
  | { state: 'diverged'; iteration: number; loss: number }
  | { state: 'failed'; message: string };

/** What train() resolves to: the histories, the best validation accuracy and how the run ended. */
export interface SolverResult {
  status: SolverStatus;
  lossHistory: number[];
  trainAccHistory: number[];
  valAccHistory: number[];
  bestValAcc: number;
}

/**
 * Trains a model with minibatch gradient descent, as CS231n's Solver: one update per minibatch, the loss
 * recorded every iteration, train/val accuracy at the first iteration and at each epoch end, the
 * learning rate decayed at each epoch end, and the model with the best validation accuracy put back at
 * the end.
 *
 * Deliberately unlike CS231n's Solver, "the model" includes its running statistics (model.bnParams):
 * CS231n restores only the best parameters and keeps the last epoch's batchnorm running mean and
 * variance, so the restored net scores with statistics of weights it no longer has (a net that never
 * existed during training). Here both are snapshot together and restored together.
 */
export class Solver {
  readonly model: Model;
  lossHistory: number[] = [];
  trainAccHistory: number[] = [];
  valAccHistory: number[] = [];
  bestValAcc = 0;
  status: SolverStatus = { state: 'ready' };
  /** Epochs and iterations completed. */
  epoch = 0;
  iteration = 0;
  /** max(floor(N / batchSize), 1), as CS231n. */
  readonly iterationsPerEpoch: number;
  /** Each parameter's optimizer config, learning-rate decay and state included. */
  optimConfigs: Record<string, OptimState> = {};

  private readonly options: ResolvedOptions;
  private readonly data: SolverData;
  private readonly paramNames: string[];
  private rng: Rng;
  private bestParams: Record<string, Tensor> | null = null;
  /** model.bnParams' running statistics as they were with bestParams (null: keep the current ones). */
  private bestRunningStats: RunningStats | null = null;

  constructor(model: Model, data: SolverData, options: SolverOptions = {}) {
    this.paramNames = checkModel('Solver', model);
    this.data = checkData('Solver', data);
    this.options = readOptions('Solver', options);
    this.model = model;
    this.iterationsPerEpoch = Math.max(Math.floor(this.data.XTrain.shape[0] / this.options.batchSize), 1);
    this.rng = createRng(this.options.seed);
    for (const name of this.paramNames) this.optimConfigs[name] = { ...this.options.optimConfig };
  }

  /**
   * A Solver that goes on from a checkpoint exactly as the run that wrote it would have: same
   * minibatches, same numbers, bit for bit. It loads the checkpoint's parameters into model.params;
   * `data` must be the data of that run. Call train() on it to continue.
   */
  static async resume(
    model: Model,
    data: SolverData,
    checkpointPath: string,
    options: ResumeOptions = {},
  ): Promise<Solver> {
    const state = await loadCheckpoint(checkpointPath);
    const solver = new Solver(model, data, resumeOptions(state, checkpointPath, options));
    checkResumable(state, model, data, checkpointPath);
    solver.restore(state);
    return solver;
  }

  get numIterations(): number {
    return this.options.numEpochs * this.iterationsPerEpoch;
  }

  /**
   * Trains until numEpochs are done or the loss diverges. Async because checkpoints are written to
   * disk between epochs; the epochs themselves run synchronously.
   */
  async train(): Promise<SolverResult> {
    this.begin('train');
    try {
      while (this.epoch < this.options.numEpochs && this.runEpoch()) {
        const path = this.options.checkpointPath;
        const due = this.epoch % this.options.checkpointEvery === 0 || this.epoch === this.options.numEpochs;
        if (path !== null && due) await saveCheckpoint(path, this.checkpointState());
      }
    } catch (error) {
      this.status = { state: 'failed', message: (error as Error).message };
      throw error;
    }
    return this.finish();
  }

  /** train() without checkpoints, for callers that cannot await. */
  trainSync(): SolverResult {
    if (this.options.checkpointPath !== null) {
      throw new Error(
        'Solver.trainSync: options.checkpointPath is set; checkpoints are written by await solver.train()',
      );
    }
    this.begin('trainSync');
    try {
      while (this.epoch < this.options.numEpochs && this.runEpoch()) {}
    } catch (error) {
      this.status = { state: 'failed', message: (error as Error).message };
      throw error;
    }
    return this.finish();
  }

  private begin(fn: string): void {
    if (this.status.state !== 'ready') {
      throw new Error(
        `Solver.${fn}: this solver has already run (status '${this.status.state}'); create a new one`,
      );
    }
    this.status = { state: 'running' };
  }

  private finish(): SolverResult {
    if (this.status.state === 'running') this.status = { state: 'completed' };
    if (this.bestParams !== null) {
      for (const name of this.paramNames) copyInPlace(this.model.params[name], this.bestParams[name]);
      if (this.bestRunningStats !== null) setRunningStats(this.model, this.bestRunningStats);
    }
    return {
      status: this.status,
      lossHistory: this.lossHistory,
      trainAccHistory: this.trainAccHistory,
      valAccHistory: this.valAccHistory,
      bestValAcc: this.bestValAcc,
    };
  }

  /** One epoch of minibatch steps; false if the loss diverged. */
  private runEpoch(): boolean {
    const rows = this.data.XTrain.shape[0];
    const { batchSize, sampling } = this.options;
    // Drawn up front so the RNG advances the same way whether or not this epoch is the first after a resume.
    const order = sampling === 'shuffle' ? permutation(rows, this.rng) : null;
    for (let i = 0; i < this.iterationsPerEpoch; i++) {
      const batch =
        order === null
          ? Int32Array.from({ length: batchSize }, () => this.rng.int(rows))
          : order.subarray(i * batchSize, Math.min((i + 1) * batchSize, rows));
      const loss = this.step(batch);
      this.iteration += 1;
      this.lossHistory.push(loss);
      const progress = {
        iteration: this.iteration,
        numIterations: this.numIterations,
        epoch: this.epoch + 1,
        numEpochs: this.options.numEpochs,
        loss,
      };
      if (!this.withinBound(loss)) {
        this.status = { state: 'diverged', iteration: this.iteration, loss };
        this.options.onProgress?.(progress);
        return false;
      }
      const epochEnd = i === this.iterationsPerEpoch - 1;
      if (epochEnd) {
        this.epoch += 1;
        this.decayLearningRate();
      }
      // The last iteration always ends an epoch, so these are CS231n's first/epoch-end/last checks.
      // Computed before the call: `onProgress?.(f())` would skip f() when there is no callback.
      const accuracies = this.iteration === 1 || epochEnd ? this.checkAccuracies() : {};
      this.options.onProgress?.({ ...progress, ...accuracies });
    }
    return true;
  }

  /** Forward, backward and one update of every parameter on the rows `batch` of the training set. */
  private step(batch: Int32Array): number {
    const X = gatherRows(this.data.XTrain, batch);
    const y = Int32Array.from(batch, (row) => this.data.yTrain[row]);
    const out = this.model.loss(X, y);
    if (typeof out?.loss !== 'number' || typeof out.grads !== 'object' || out.grads === null) {
      throw new TypeError(
        `Solver: model.loss(X, y) must return { loss: number, grads }, got ${describe(out)}`,
      );
    }
    // No update from a diverged loss: its gradients would poison every parameter.
    if (this.withinBound(out.loss)) {
      updateParams(this.model, this.paramNames, out.grads, this.options.updateRule, this.optimConfigs);
    }
    return out.loss;
  }

  /** False for a loss that marks divergence: NaN, ±∞, or above options.maxLoss. */
  private withinBound(loss: number): boolean {
    const { maxLoss } = this.options;
    return Number.isFinite(loss) && (maxLoss === null || loss <= maxLoss);
  }

  private decayLearningRate(): void {
    for (const config of Object.values(this.optimConfigs)) {
      if (typeof config.learningRate === 'number') config.learningRate *= this.options.lrDecay;
    }
  }

  /** Train accuracy on a seeded subsample, val accuracy on all (or numValSamples) rows; tracks the best. */
  private checkAccuracies(): { trainAcc: number; valAcc: number } {
    const { batchSize, numTrainSamples, numValSamples } = this.options;
    const { XTrain, yTrain, XVal, yVal } = this.data;
    const trainAcc = checkAccuracy(this.model, XTrain, yTrain, {
      numSamples: numTrainSamples,
      batchSize,
      rng: this.rng,
    });
    const valAcc = checkAccuracy(this.model, XVal, yVal, {
      numSamples: numValSamples,
      batchSize,
      rng: this.rng,
    });
    this.trainAccHistory.push(trainAcc);
    this.valAccHistory.push(valAcc);
    if (this.bestParams === null || valAcc > this.bestValAcc) {
      this.bestValAcc = Math.max(this.bestValAcc, valAcc);
      this.bestParams = {};
      for (const name of this.paramNames) this.bestParams[name] = this.model.params[name].clone();
      this.bestRunningStats = copyRunningStats(this.model);
    }
    return { trainAcc, valAcc };
  }

  private restore(state: CheckpointState): void {
    for (const name of this.paramNames) copyInPlace(this.model.params[name], state.params[name]);
    setRunningStats(this.model, state.bnStats);
    this.bestParams = state.bestParams;
    // A checkpoint written before best running statistics were saved has none: the current ones stay.
    this.bestRunningStats = state.bestBnStats ?? null;
    this.optimConfigs = state.optimConfigs;
    this.rng = restoreRng(state.rng);
    this.epoch = state.epoch;
    this.iteration = state.iteration;
    this.lossHistory = state.lossHistory;
    this.trainAccHistory = state.trainAccHistory;
    this.valAccHistory = state.valAccHistory;
    this.bestValAcc = state.bestValAcc;
  }

  /** Everything a checkpoint saves, taken at an epoch end. */
  private checkpointState(): CheckpointState {
    const { updateRule, checkpointPath: _path, onProgress: _callback, ...rest } = this.options;
    return {
      options: { ...rest, updateRule: typeof updateRule === 'string' ? updateRule : 'custom' },
      numTrain: this.data.XTrain.shape[0],
      numVal: this.data.XVal.shape[0],
      epoch: this.epoch,
      iteration: this.iteration,
      rng: this.rng.state(),
      params: Object.fromEntries(this.paramNames.map((name) => [name, this.model.params[name]])),
      bestParams: this.bestParams,
      optimConfigs: this.optimConfigs,
      bnStats: copyRunningStats(this.model),
      bestBnStats: this.bestRunningStats,
      lossHistory: this.lossHistory,
      trainAccHistory: this.trainAccHistory,
      valAccHistory: this.valAccHistory,
      bestValAcc: this.bestValAcc,
    };
  }
}
