import { join } from 'node:path';
import { FullyConnectedNet } from '@backprop-lab/layers';
import { sliceRows, type Tensor } from '@backprop-lab/tensor';
import { tempDir } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import type { Model, SolverData } from './model.js';
import { Solver } from './solver.js';
import { randomImages } from './test-support/images.js';

// Seeded random 16×16×3 "images" (class template + noise of the same size): 50 to train on, 50 to validate.
const images = randomImages(1, 100, { side: 16 });
const data: SolverData = {
  XTrain: sliceRows(images.X, 0, 50),
  yTrain: images.y.slice(0, 50),
  XVal: sliceRows(images.X, 50),
  yVal: images.y.slice(50),
};
const inputDim = images.X.shape[1];

function net(
  hiddenDims: number[],
  options: { weightScale?: number; normalization?: 'batchnorm' } = {},
): Model {
  // Typed as Model on purpose: layers' FullyConnectedNet must fit the Solver's structural interface.
  return new FullyConnectedNet({
    hiddenDims,
    inputDim,
    numClasses: 10,
    weightScale: 1e-1,
    seed: 1,
    ...options,
  });
}

describe('CS231n sanity checks with layers’ FullyConnectedNet', () => {
  it('a [100, 100] net overfits 50 samples to 100% train accuracy within 20 epochs with sgd', () => {
    const solver = new Solver(net([100, 100]), data, {
      updateRule: 'sgd',
      optimConfig: { learningRate: 1e-2 },
      batchSize: 25,
      numEpochs: 20,
    });
    solver.trainSync();
    expect(solver.trainAccHistory).toHaveLength(21);
    expect(solver.trainAccHistory[0]).toBeLessThan(0.5);
    expect(solver.trainAccHistory.at(-1)).toBe(1);
    expect(solver.lossHistory.at(-1)).toBeLessThan(solver.lossHistory[0] / 10);
  });

  it('a [100]×4 net overfits 50 samples to 100% train accuracy within 20 epochs with adam', () => {
    const solver = new Solver(net([100, 100, 100, 100]), data, {
      updateRule: 'adam',
      optimConfig: { learningRate: 1e-3 },
      batchSize: 25,
      numEpochs: 20,
    });
    solver.trainSync();
    expect(solver.trainAccHistory.at(-1)).toBe(1);
    expect(solver.status).toEqual({ state: 'completed' });
  });

  it("stops a net trained at learning rate 1e6 with status 'diverged' at the iteration that blew up", () => {
    const solver = new Solver(net([100, 100]), data, {
      optimConfig: { learningRate: 1e6 },
      batchSize: 25,
      numEpochs: 20,
    });
    const result = solver.trainSync();
    expect(result.status.state).toBe('diverged');
    const { iteration } = result.status as { iteration: number };
    expect(iteration).toBeLessThan(solver.numIterations);
    expect(solver.lossHistory).toHaveLength(iteration);
    expect(solver.lossHistory.slice(0, -1).every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(solver.lossHistory.at(-1))).toBe(false);
    for (const W of Object.values(solver.model.params)) expect(W.data.every(Number.isFinite)).toBe(true);
  });

  it('resumes a batchnorm net bit for bit, running statistics included', async () => {
    const dir = await tempDir('optim-sanity');
    const options = { updateRule: 'adam', batchSize: 10, seed: 4 } as const;
    const straightModel = net([20, 20], { normalization: 'batchnorm' });
    const straight = new Solver(straightModel, data, { ...options, numEpochs: 4 });
    straight.trainSync();
    const path = join(dir, 'bn.ckpt');
    await new Solver(net([20, 20], { normalization: 'batchnorm' }), data, {
      ...options,
      numEpochs: 2,
      checkpointPath: path,
    }).train();
    const resumedModel = net([20, 20], { normalization: 'batchnorm' });
    const resumed = await Solver.resume(resumedModel, data, path, { numEpochs: 4 });
    await resumed.train();
    expect(resumed.lossHistory).toEqual(straight.lossHistory);
    // Validation runs in test mode on the running statistics: equal only if those were restored too.
    expect(resumed.valAccHistory).toEqual(straight.valAccHistory);
    const bits = (t: Tensor) => Array.from(t.data);
    const stats = (model: Model) =>
      model.bnParams!.flatMap((layer) => [...bits(layer.runningMean!), ...bits(layer.runningVar!)]);
    expect(stats(resumedModel)).toEqual(stats(straightModel));
    expect(bits(resumedModel.params.gamma1)).toEqual(bits(straightModel.params.gamma1));
  });
});
