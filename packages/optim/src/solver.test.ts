import { mul, sub, type Tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { adam } from './adam.js';
import type { UpdateRule } from './rules.js';
import { sgd } from './sgd.js';
import { Solver } from './solver.js';
import type { SolverProgress } from './solver-options.js';
import { indexData, makeBlobs, predict, ScriptedModel, SoftmaxClassifier } from './test-support/models.js';

const bits = (t: Tensor) => Array.from(t.data);

describe('Solver training', () => {
  it('learns separable blobs: the loss falls and train and val accuracy pass 90%', () => {
    const data = makeBlobs(3, 200, 60);
    const model = new SoftmaxClassifier(5, 3);
    const solver = new Solver(model, data, {
      updateRule: 'sgd',
      optimConfig: { learningRate: 0.1 },
      batchSize: 20,
      numEpochs: 5,
    });
    const result = solver.trainSync();
    expect(result.status).toEqual({ state: 'completed' });
    expect(solver.iterationsPerEpoch).toBe(10);
    expect(solver.lossHistory).toHaveLength(50);
    expect(solver.lossHistory[49]).toBeLessThan(solver.lossHistory[0] / 4);
    expect(solver.trainAccHistory.at(-1)).toBeGreaterThan(0.9);
    expect(solver.bestValAcc).toBeGreaterThan(0.9);
    expect(result.lossHistory).toBe(solver.lossHistory);
  });

  it('checks accuracy at the first iteration and at each epoch end, as CS231n', () => {
    const data = makeBlobs(3, 30, 10);
    const solver = new Solver(new SoftmaxClassifier(5, 3), data, { batchSize: 10, numEpochs: 4 });
    solver.trainSync();
    expect(solver.lossHistory).toHaveLength(12);
    expect(solver.trainAccHistory).toHaveLength(5);
    expect(solver.valAccHistory).toHaveLength(5);
    expect(solver.bestValAcc).toBe(Math.max(...solver.valAccHistory));
  });

  it('runs max(floor(N / batchSize), 1) iterations per epoch', () => {
    for (const [rows, batchSize, expected] of [
      [25, 10, 2],
      [20, 5, 4],
      [7, 10, 1],
    ]) {
      const solver = new Solver(new ScriptedModel(), indexData(rows, 4), { batchSize, numEpochs: 3 });
      solver.trainSync();
      expect(solver.iterationsPerEpoch).toBe(expected);
      expect(solver.numIterations).toBe(3 * expected);
      expect(solver.lossHistory).toHaveLength(3 * expected);
    }
  });

  it("with sampling 'shuffle' sees every row once per epoch, in a new order each epoch", () => {
    const model = new ScriptedModel();
    new Solver(model, indexData(20, 4), { batchSize: 5, numEpochs: 2, seed: 3 }).trainSync();
    const epochs = [model.batches.slice(0, 4).flat(), model.batches.slice(4).flat()];
    for (const rows of epochs) expect([...rows].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(epochs[0]).not.toEqual(epochs[1]);
    expect(model.batches.every((batch) => batch.length === 5)).toBe(true);
  });

  it("with sampling 'replacement' draws batchSize rows at random, repeats allowed, as CS231n", () => {
    const model = new ScriptedModel();
    new Solver(model, indexData(7, 4), { batchSize: 10, numEpochs: 3, sampling: 'replacement' }).trainSync();
    expect(model.batches).toHaveLength(3);
    for (const batch of model.batches) {
      expect(batch).toHaveLength(10);
      expect(batch.every((row) => Number.isInteger(row) && row >= 0 && row < 7)).toBe(true);
    }
    const shuffled = new ScriptedModel();
    new Solver(shuffled, indexData(7, 4), { batchSize: 10, numEpochs: 1 }).trainSync();
    expect(shuffled.batches[0]).toHaveLength(7);
  });

  it('gives bit-identical histories and parameters for the same seed, and others for another seed', () => {
    const run = (seed: number) => {
      const model = new SoftmaxClassifier(5, 3, 11);
      const solver = new Solver(model, makeBlobs(5, 90, 30), {
        updateRule: 'adam',
        optimConfig: { learningRate: 1e-2 },
        batchSize: 16,
        numEpochs: 3,
        numTrainSamples: 40,
        seed,
      });
      solver.trainSync();
      return { solver, model };
    };
    const [a, b, c] = [run(9), run(9), run(10)];
    expect(b.solver.lossHistory).toEqual(a.solver.lossHistory);
    expect(b.solver.trainAccHistory).toEqual(a.solver.trainAccHistory);
    expect(b.solver.valAccHistory).toEqual(a.solver.valAccHistory);
    expect(bits(b.model.params.W)).toEqual(bits(a.model.params.W));
    expect(c.solver.lossHistory).not.toEqual(a.solver.lossHistory);
  });

  it('decays the learning rate at each epoch end, per parameter', () => {
    const seen: number[] = [];
    const recording: UpdateRule = (w, dw, config) => {
      seen.push((config as { learningRate: number }).learningRate);
      return sgd(w, dw, config);
    };
    const solver = new Solver(new ScriptedModel(), indexData(20, 4), {
      updateRule: recording,
      optimConfig: { learningRate: 0.8 },
      lrDecay: 0.5,
      batchSize: 10,
      numEpochs: 3,
    });
    solver.trainSync();
    expect(seen).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.2]);
    expect(solver.optimConfigs.p.learningRate).toBe(0.1);

    const builtin = new Solver(new SoftmaxClassifier(5, 3), makeBlobs(1, 20, 5), {
      updateRule: 'sgdMomentum',
      optimConfig: { learningRate: 1e-2 },
      lrDecay: 0.9,
      batchSize: 10,
      numEpochs: 3,
    });
    builtin.trainSync();
    for (const name of ['W', 'b']) {
      expect(builtin.optimConfigs[name].learningRate).toBe(1e-2 * 0.9 * 0.9 * 0.9);
      expect(builtin.optimConfigs[name].momentum).toBe(0.9);
    }
    expect(builtin.optimConfigs.W.velocity).not.toBe(builtin.optimConfigs.b.velocity);
  });

  it('puts the parameters with the best validation accuracy back into model.params', () => {
    // p grows by 1 per epoch; val accuracy peaks at p = 3 (rows below 10 − 3|p − 3| are right).
    const model = new ScriptedModel((p) => 10 - 3 * Math.abs(p - 3));
    const solver = new Solver(model, indexData(10, 10), {
      optimConfig: { learningRate: 1 },
      batchSize: 10,
      numEpochs: 6,
    });
    const result = solver.trainSync();
    expect(solver.valAccHistory).toEqual([0.4, 0.7, 1, 0.7, 0.4, 0.1]);
    expect(solver.trainAccHistory).toEqual([0.4, 0.7, 1, 0.7, 0.4, 0.1]);
    expect(result.bestValAcc).toBe(1);
    expect(model.params.p.data[0]).toBe(3);
  });

  it("stops at a NaN loss with status 'diverged', keeping the histories and skipping that update", () => {
    const model = new ScriptedModel((p) => p, [5]);
    const events: SolverProgress[] = [];
    let pAtDivergence = -1;
    const solver = new Solver(model, indexData(20, 10), {
      optimConfig: { learningRate: 1 },
      batchSize: 5,
      numEpochs: 3,
      onProgress: (progress) => {
        events.push(progress);
        if (!Number.isFinite(progress.loss)) pAtDivergence = model.params.p.data[0];
      },
    });
    const result = solver.trainSync();
    expect(result.status).toEqual({ state: 'diverged', iteration: 5, loss: Number.NaN });
    expect(solver.status).toBe(result.status);
    expect(solver.lossHistory).toHaveLength(5);
    expect(solver.lossHistory[4]).toBeNaN();
    expect(solver.lossHistory.slice(0, 4)).toEqual([1, 1 / 2, 1 / 3, 1 / 4]);
    expect(pAtDivergence).toBe(4);
    expect(events.map((e) => e.iteration)).toEqual([1, 2, 3, 4, 5]);
    expect(solver.valAccHistory).toEqual([0.1, 0.4]);
    expect(model.params.p.data[0]).toBe(4);
  });

  it('reports progress every iteration, with accuracies where they were checked', () => {
    const events: SolverProgress[] = [];
    const solver = new Solver(new ScriptedModel(), indexData(20, 4), {
      batchSize: 10,
      numEpochs: 2,
      onProgress: (progress) => events.push(progress),
    });
    solver.trainSync();
    expect(
      events.map(({ iteration, epoch, numIterations, numEpochs }) => [
        iteration,
        epoch,
        numIterations,
        numEpochs,
      ]),
    ).toEqual([
      [1, 1, 4, 2],
      [2, 1, 4, 2],
      [3, 2, 4, 2],
      [4, 2, 4, 2],
    ]);
    expect(events.map((e) => 'valAcc' in e && 'trainAcc' in e)).toEqual([true, true, false, true]);
    expect(events.map((e) => e.loss)).toEqual(solver.lossHistory);
  });

  it('takes a rule function, replacing the parameters with what it returns', () => {
    const data = makeBlobs(2, 40, 10);
    const plain: UpdateRule = (w, dw, config) => {
      const lr = (config as { learningRate: number }).learningRate;
      return { w: sub(w, mul(dw, lr)), config: { ...config } };
    };
    const custom = new SoftmaxClassifier(5, 3);
    const W = custom.params.W;
    new Solver(custom, data, {
      updateRule: plain,
      optimConfig: { learningRate: 0.05 },
      batchSize: 8,
      numEpochs: 2,
    }).trainSync();
    expect(custom.params.W).not.toBe(W);
    const builtin = new SoftmaxClassifier(5, 3);
    new Solver(builtin, data, {
      updateRule: 'sgd',
      optimConfig: { learningRate: 0.05 },
      batchSize: 8,
      numEpochs: 2,
    }).trainSync();
    expect(bits(custom.params.W)).toEqual(bits(builtin.params.W));
  });

  it('treats a built-in rule passed as a function as that rule (in place, same numbers)', () => {
    const run = (updateRule: 'adam' | typeof adam) => {
      const model = new SoftmaxClassifier(5, 3);
      const W = model.params.W;
      const solver = new Solver(model, makeBlobs(2, 40, 10), { updateRule, batchSize: 8, numEpochs: 2 });
      solver.trainSync();
      return { W, model, solver };
    };
    const byName = run('adam');
    const byFunction = run(adam);
    expect(byFunction.model.params.W).toBe(byFunction.W);
    expect(bits(byFunction.model.params.W)).toEqual(bits(byName.model.params.W));
    expect(byFunction.solver.optimConfigs.W.t).toBe(10);
  });

  it('train() resolves to the same result as trainSync()', async () => {
    const data = makeBlobs(4, 50, 20);
    const options = { updateRule: 'rmsprop', batchSize: 10, numEpochs: 2 } as const;
    const asyncSolver = new Solver(new SoftmaxClassifier(5, 3), data, options);
    const syncSolver = new Solver(new SoftmaxClassifier(5, 3), data, options);
    expect((await asyncSolver.train()).lossHistory).toEqual(syncSolver.trainSync().lossHistory);
    expect(asyncSolver.valAccHistory).toEqual(syncSolver.valAccHistory);
  });
});

describe('Solver status and errors while training', () => {
  it("goes from 'ready' to 'completed' and refuses to train twice", async () => {
    const solver = new Solver(new ScriptedModel(), indexData(10, 4), { numEpochs: 1 });
    expect(solver.status).toEqual({ state: 'ready' });
    await solver.train();
    expect(solver.status).toEqual({ state: 'completed' });
    await expect(solver.train()).rejects.toThrow(
      "Solver.train: this solver has already run (status 'completed'); create a new one",
    );
    expect(() => solver.trainSync()).toThrow(
      "Solver.trainSync: this solver has already run (status 'completed')",
    );
  });

  it("marks the run 'failed' and rethrows when the model throws", () => {
    const model = new ScriptedModel();
    model.loss = (() => {
      throw new Error('boom');
    }) as never;
    const solver = new Solver(model, indexData(10, 4), { numEpochs: 1 });
    expect(() => solver.trainSync()).toThrow('boom');
    expect(solver.status).toEqual({ state: 'failed', message: 'boom' });
  });

  it('names the parameter when the model returns a missing or misshapen gradient', () => {
    const withGrads = (grads: Record<string, Tensor>) => {
      const model = new SoftmaxClassifier(5, 3);
      const original = model.loss.bind(model);
      model.loss = ((X: Tensor, y?: Int32Array) => (y ? { loss: 1, grads } : original(X))) as never;
      return new Solver(model, makeBlobs(1, 10, 4), { numEpochs: 1 });
    };
    const model = new SoftmaxClassifier(5, 3);
    expect(() => withGrads({ W: model.params.W }).trainSync()).toThrow(
      "Solver: model.loss(X, y) returned no gradient for parameter 'b' (got undefined)",
    );
    expect(() => withGrads({ W: model.params.b, b: model.params.b }).trainSync()).toThrow(
      'Solver: grads.W float64 [3] does not match params.W float64 [5,3]',
    );
  });

  it('names what is wrong when the model or a rule function returns the wrong thing', () => {
    const model = new ScriptedModel();
    model.loss = (() => 3) as never;
    expect(() => new Solver(model, indexData(10, 4)).trainSync()).toThrow(
      'Solver: model.loss(X, y) must return { loss: number, grads }, got 3',
    );
    const badRule: UpdateRule = () => ({ w: 'w' as never, config: {} });
    expect(() =>
      new Solver(new ScriptedModel(), indexData(10, 4), { updateRule: badRule }).trainSync(),
    ).toThrow(
      "Solver: updateRule must return { w, config } with w float64 [1] for parameter 'p', got w = 'w'",
    );
    const noConfig: UpdateRule = (w) => ({ w, config: null as never });
    expect(() =>
      new Solver(new ScriptedModel(), indexData(10, 4), { updateRule: noConfig }).trainSync(),
    ).toThrow("Solver: updateRule returned config null for parameter 'p'");
  });

  it('agrees with the predictions it reports as accuracy', () => {
    const model = new SoftmaxClassifier(5, 3);
    const data = makeBlobs(8, 60, 25);
    const solver = new Solver(model, data, {
      batchSize: 10,
      numEpochs: 1,
      optimConfig: { learningRate: 0.05 },
    });
    solver.trainSync();
    const predicted = predict(model, data.XVal);
    const correct = predicted.filter((c, i) => c === data.yVal[i]).length;
    // One epoch, one check after it: the restored best params are the ones measured last or first.
    expect(solver.valAccHistory).toContain(correct / 25);
  });
});
