import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FullyConnectedNet } from '@backprop-lab/layers';
import { sliceRows, type Tensor, tensor } from '@backprop-lab/tensor';
import { tempDir } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { checkAccuracy } from './accuracy.js';
import type { BatchnormStats, Model, SolverData } from './model.js';
import { Solver } from './solver.js';
import { randomImages } from './test-support/images.js';
import { indexData, ScriptedModel } from './test-support/models.js';

const bits = (t: Tensor | undefined) => Array.from(t?.data ?? []);

/** ScriptedModel with one batchnorm layer whose running mean counts the training calls. */
class ScriptedBatchnormModel extends ScriptedModel {
  readonly bnParams: BatchnormStats[] = [{}];
  private trainCalls = 0;

  override loss(X: Tensor): Tensor;
  override loss(X: Tensor, y: Int32Array): { loss: number; grads: Record<string, Tensor> };
  override loss(X: Tensor, y?: Int32Array) {
    if (y === undefined) return super.loss(X);
    this.trainCalls += 1;
    this.bnParams[0].runningMean = tensor([this.trainCalls]);
    return super.loss(X, y);
  }
}

describe('Solver: the best model is its parameters and its running statistics', () => {
  it('restores the running statistics of the best epoch with its parameters', () => {
    // Validation accuracy peaks when p = 2, i.e. at the end of epoch 1 (2 iterations per epoch).
    const model = new ScriptedBatchnormModel((p) => 10 - 3 * Math.abs(p - 2));
    const solver = new Solver(model, indexData(10, 10), {
      optimConfig: { learningRate: 1 },
      batchSize: 5,
      numEpochs: 4,
    });
    solver.trainSync();
    expect(solver.valAccHistory).toEqual([0.7, 1, 0.4, 0, 0]);
    expect(bits(model.params.p)).toEqual([2]);
    // Running mean after the 2nd training pass, not the 8th (CS231n's Solver would keep the 8th).
    expect(bits(model.bnParams[0].runningMean)).toEqual([2]);
  });

  it('a batchnorm net put back to its best epoch scores that epoch’s validation accuracy, bit for bit', () => {
    const images = randomImages(2, 160, { side: 6 });
    const data: SolverData = {
      XTrain: sliceRows(images.X, 0, 80),
      yTrain: images.y.slice(0, 80),
      XVal: sliceRows(images.X, 80),
      yVal: images.y.slice(80),
    };
    const net = () =>
      new FullyConnectedNet({
        hiddenDims: [30, 30],
        inputDim: images.X.shape[1],
        numClasses: 10,
        normalization: 'batchnorm',
        weightScale: 5e-2,
        seed: 3,
      });
    const options = {
      updateRule: 'adam',
      optimConfig: { learningRate: 1e-2 },
      batchSize: 10,
      seed: 5,
    } as const;
    const model: Model = net();
    const solver = new Solver(model, data, { ...options, numEpochs: 8 });
    solver.trainSync();
    const bestEpoch = solver.valAccHistory.indexOf(solver.bestValAcc);
    // The setting is chosen so the best epoch is not the last: otherwise nothing would be tested.
    expect(bestEpoch).toBeGreaterThan(0);
    expect(bestEpoch).toBeLessThan(solver.valAccHistory.length - 1);
    expect(checkAccuracy(model, data.XVal, data.yVal)).toBe(solver.bestValAcc);

    // The same run stopped at the best epoch: the restored model is that net, statistics included.
    const short: Model = net();
    new Solver(short, data, { ...options, numEpochs: bestEpoch }).trainSync();
    for (const name of Object.keys(model.params))
      expect(bits(model.params[name])).toEqual(bits(short.params[name]));
    model.bnParams!.forEach((layer, i) => {
      expect(bits(layer.runningMean)).toEqual(bits(short.bnParams![i].runningMean));
      expect(bits(layer.runningVar)).toEqual(bits(short.bnParams![i].runningVar));
    });
  });

  it('a resumed run restores the best running statistics as the straight run does', async () => {
    const dir = await tempDir('optim-best');
    try {
      const make = () => new ScriptedBatchnormModel((p) => 10 - 3 * Math.abs(p - 2));
      const options = { optimConfig: { learningRate: 1 }, batchSize: 5 } as const;
      const path = join(dir, 'best.ckpt');
      await new Solver(make(), indexData(10, 10), { ...options, numEpochs: 2, checkpointPath: path }).train();
      // A fresh model's counter restarts, so its running mean can only be [2] if the checkpoint held it.
      const resumed = make();
      await (await Solver.resume(resumed, indexData(10, 10), path, { numEpochs: 4 })).train();
      expect(bits(resumed.params.p)).toEqual([2]);
      expect(bits(resumed.bnParams[0].runningMean)).toEqual([2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Solver: divergence beyond a loss bound', () => {
  /** Loss equal to the number of training calls so far: 1, 2, 3, ... */
  class GrowingLoss extends ScriptedModel {
    private steps = 0;
    override loss(X: Tensor): Tensor;
    override loss(X: Tensor, y: Int32Array): { loss: number; grads: Record<string, Tensor> };
    override loss(X: Tensor, y?: Int32Array) {
      if (y === undefined) return super.loss(X);
      const out = super.loss(X, y);
      this.steps += 1;
      return { ...out, loss: this.steps };
    }
  }

  it('stops at the first loss above options.maxLoss, without applying that update', () => {
    const model = new GrowingLoss();
    const pAfter: number[] = [];
    const solver = new Solver(model, indexData(20, 10), {
      optimConfig: { learningRate: 1 },
      batchSize: 5,
      numEpochs: 3,
      maxLoss: 3.5,
      onProgress: () => pAfter.push(model.params.p.data[0]),
    });
    const result = solver.trainSync();
    expect(result.status).toEqual({ state: 'diverged', iteration: 4, loss: 4 });
    expect(solver.lossHistory).toEqual([1, 2, 3, 4]);
    expect(pAfter).toEqual([1, 2, 3, 3]);
  });

  it('a first loss above the bound diverges before any update', () => {
    const model = new GrowingLoss();
    const result = new Solver(model, indexData(20, 10), { batchSize: 5, maxLoss: 0.5 }).trainSync();
    expect(result.status).toEqual({ state: 'diverged', iteration: 1, loss: 1 });
    expect(bits(model.params.p)).toEqual([0]);
  });

  it('without maxLoss any finite loss trains on; a bad bound is refused', () => {
    const result = new Solver(new GrowingLoss(), indexData(20, 10), {
      batchSize: 5,
      numEpochs: 2,
    }).trainSync();
    expect(result.status).toEqual({ state: 'completed' });
    expect(() => new Solver(new GrowingLoss(), indexData(20, 10), { maxLoss: 0 })).toThrow(
      'Solver: options.maxLoss must be',
    );
  });
});
