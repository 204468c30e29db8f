import { tensor, zeros } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { sgdMomentum } from './sgd-momentum.js';
import { Solver } from './solver.js';
import { readOptions } from './solver-options.js';
import { indexData, ScriptedModel, SoftmaxClassifier } from './test-support/models.js';

const data = indexData(10, 4);
const build = (options: unknown) => () => new Solver(new ScriptedModel(), data, options as never);

describe('Solver options', () => {
  it('fills in the CS231n defaults, with shuffling and seed 0 as our choices', () => {
    expect(readOptions('Solver', {})).toEqual({
      updateRule: 'sgd',
      optimConfig: { learningRate: 1e-2 },
      lrDecay: 1,
      batchSize: 100,
      numEpochs: 10,
      numTrainSamples: 1000,
      numValSamples: null,
      checkpointPath: null,
      checkpointEvery: 1,
      seed: 0,
      sampling: 'shuffle',
      maxLoss: null,
      onProgress: null,
    });
    expect(readOptions('Solver', { updateRule: 'adam', optimConfig: { beta2: 0.99 } }).optimConfig).toEqual({
      learningRate: 1e-3,
      beta1: 0.9,
      beta2: 0.99,
      epsilon: 1e-8,
    });
    expect(readOptions('Solver', { updateRule: sgdMomentum, numTrainSamples: null }).updateRule).toBe(
      'sgdMomentum',
    );
    expect(readOptions('Solver', { numTrainSamples: null }).numTrainSamples).toBeNull();
  });

  it('gives each parameter its own copy of optimConfig', () => {
    const solver = new Solver(new SoftmaxClassifier(1, 2), data, { optimConfig: { learningRate: 0.5 } });
    expect(solver.optimConfigs.W).toEqual({ learningRate: 0.5 });
    expect(solver.optimConfigs.W).not.toBe(solver.optimConfigs.b);
  });

  it('rejects unknown options, naming them', () => {
    expect(build({ printEvery: 10 })).toThrow(
      "Solver: unknown option key 'printEvery' (expected one of updateRule, optimConfig, lrDecay, batchSize, numEpochs, numTrainSamples, numValSamples, checkpointPath, checkpointEvery, seed, sampling, maxLoss, onProgress)",
    );
    expect(build({ num_epochs: 2 })).toThrow("Solver: unknown option key 'num_epochs'");
    expect(build(null)).toThrow('Solver: options must be an object, got null');
  });

  it('names the option and the value for every bad value', () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { updateRule: 'adagrad' },
        "Solver: options.updateRule must be one of 'sgd', 'sgdMomentum', 'rmsprop', 'adam' or a function, got 'adagrad'",
      ],
      [{ batchSize: 0 }, 'Solver: options.batchSize must be an integer >= 1, got 0'],
      [{ batchSize: 2.5 }, 'Solver: options.batchSize must be an integer >= 1, got 2.5'],
      [{ numEpochs: '3' }, "Solver: options.numEpochs must be an integer >= 1, got '3'"],
      [{ numTrainSamples: -1 }, 'Solver: options.numTrainSamples must be an integer >= 1, got -1'],
      [{ numValSamples: 0 }, 'Solver: options.numValSamples must be an integer >= 1, got 0'],
      [{ lrDecay: 0 }, 'Solver: options.lrDecay must be a finite number > 0, got 0'],
      [{ lrDecay: 1.5 }, 'Solver: options.lrDecay must be in (0, 1], got 1.5'],
      [{ seed: 0.5 }, 'Solver: options.seed must be an integer, got 0.5'],
      [{ sampling: 'random' }, "Solver: options.sampling must be 'shuffle' or 'replacement', got 'random'"],
      [{ onProgress: 'log' }, "Solver: options.onProgress must be a function, got 'log'"],
      [{ checkpointPath: '' }, "Solver: options.checkpointPath must be a non-empty string, got ''"],
      [{ checkpointEvery: 2 }, 'Solver: options.checkpointEvery needs options.checkpointPath'],
      [
        { checkpointPath: 'a.ckpt', checkpointEvery: 0 },
        'Solver: options.checkpointEvery must be an integer >= 1, got 0',
      ],
    ];
    for (const [options, message] of cases) expect(build(options)).toThrow(message);
  });

  it('checks optimConfig against the rule: settings only, known keys, values in range', () => {
    expect(build({ optimConfig: 0.1 })).toThrow('Solver: options.optimConfig must be an object, got 0.1');
    expect(build({ updateRule: 'adam', optimConfig: { lr: 1e-3 } })).toThrow(
      "Solver: unknown options.optimConfig key 'lr' for updateRule 'adam' (expected one of learningRate, beta1, beta2, epsilon)",
    );
    expect(build({ updateRule: 'sgdMomentum', optimConfig: { velocity: zeros([1]) } })).toThrow(
      'Solver: options.optimConfig.velocity is sgdMomentum state, which the Solver keeps per parameter; give only settings (learningRate, momentum)',
    );
    expect(build({ updateRule: 'rmsprop', optimConfig: { decayRate: 1 } })).toThrow(
      'Solver: options.optimConfig.decayRate must be a number in [0, 1), got 1',
    );
    expect(
      build({ updateRule: (w: unknown) => ({ w, config: {} }), optimConfig: { learningRate: 'fast' } }),
    ).toThrow("Solver: options.optimConfig.learningRate must be a finite number, got 'fast'");
  });

  it('trainSync refuses a checkpointPath, since checkpoints are written asynchronously', () => {
    const solver = new Solver(new ScriptedModel(), data, { checkpointPath: 'never-written.ckpt' });
    expect(() => solver.trainSync()).toThrow(
      'Solver.trainSync: options.checkpointPath is set; checkpoints are written by await solver.train()',
    );
  });
});

describe('Solver model and data', () => {
  it('names the model field at fault', () => {
    const model = (value: unknown) => () => new Solver(value as never, data);
    expect(model(null)).toThrow('Solver: model must be an object, got null');
    expect(model({ params: {}, loss: 3 })).toThrow('Solver: model.loss must be a function, got 3');
    expect(model({ params: [], loss() {} })).toThrow('Solver: model.params must be an object, got an array');
    expect(model({ params: {}, loss() {} })).toThrow(
      'Solver: model.params is empty: there is nothing to train',
    );
    expect(model({ params: { W: [1, 2] }, loss() {} })).toThrow(
      'Solver: model.params.W must be a Tensor, got an array',
    );
    expect(model({ params: { W: zeros([1]) }, bnParams: {}, loss() {} })).toThrow(
      'Solver: model.bnParams must be an array when present, got an object',
    );
  });

  it('names the data field at fault, with both sizes when labels and rows disagree', () => {
    const withData = (value: unknown) => () => new Solver(new ScriptedModel(), value as never);
    const X = tensor([[0], [1], [2]]);
    const y = new Int32Array(3);
    expect(withData(undefined)).toThrow('Solver: data must be an object, got undefined');
    expect(withData({ XTrain: X, yTrain: y, XVal: X, yVal: y, XTest: X })).toThrow(
      "Solver: unknown data key 'XTest' (expected one of XTrain, yTrain, XVal, yVal)",
    );
    expect(withData({ XTrain: [[0]], yTrain: y, XVal: X, yVal: y })).toThrow(
      'Solver: data.XTrain must be a Tensor [N, ...], got an array',
    );
    expect(withData({ XTrain: X, yTrain: [0, 0, 0], XVal: X, yVal: y })).toThrow(
      'Solver: data.yTrain must be an Int32Array, got an array',
    );
    expect(withData({ XTrain: X, yTrain: y, XVal: X, yVal: new Int32Array(2) })).toThrow(
      'Solver: data.yVal has 2 labels but data.XVal [3,1] has 3 rows',
    );
    expect(withData({ XTrain: zeros([0, 1]), yTrain: new Int32Array(0), XVal: X, yVal: y })).toThrow(
      'Solver: data.XTrain has no rows',
    );
  });
});
