import { createRng, randn } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import type { Norm, RunSpec } from '../config.js';
import { buildNet, type RunData, type TrainSettings, trainRun } from './train-run.js';

function tinyData(): RunData {
  const rng = createRng(11);
  const split = (rows: number) => {
    const y = Int32Array.from({ length: rows }, (_, i) => i % 3);
    const X = randn([rows, 6], rng);
    // Shift each class so the data is learnable.
    for (let i = 0; i < rows; i++) X.data[i * 6 + y[i]] += 3;
    return { X, y };
  };
  return { train: split(40), val: split(20), test: split(20), numClasses: 3 };
}

const settings: TrainSettings = {
  epochs: 4,
  optimizer: 'adam',
  lrDecay: 1,
  reg: 0,
  dropout: 1,
  dtype: 'float64',
  statsEvery: 4,
};

function spec(norm: Norm, seed = 1): RunSpec {
  return {
    id: `${norm}-s${seed}`,
    index: 0,
    norm,
    seed,
    hidden: [8, 8],
    weightScale: 0.1,
    batchSize: 8,
    lr: 1e-2,
    sweepValue: null,
  };
}

describe('trainRun', () => {
  const data = tinyData();

  it('gives every normalization of a seed the same initial weights', () => {
    const none = buildNet(spec('none'), settings, data);
    const batchnorm = buildNet(spec('batchnorm'), settings, data);
    for (const name of ['W1', 'W2', 'W3'])
      expect(batchnorm.params[name].data).toEqual(none.params[name].data);
    expect(buildNet(spec('none', 2), settings, data).params.W1.data).not.toEqual(none.params.W1.data);
  });

  it('is bit-identical for the same seed and records what the report needs', () => {
    const first = trainRun(spec('batchnorm'), settings, data);
    const second = trainRun(spec('batchnorm'), settings, data);
    expect(second).toEqual(first);
    expect(first.iterationsPerEpoch).toBe(5);
    expect(first.lossHistory).toHaveLength(20);
    expect(first.accIterations).toEqual([1, 5, 10, 15, 20]);
    expect(first.finalLoss).toBeCloseTo(first.lossHistory.slice(-5).reduce((a, b) => a + b) / 5, 12);
    expect(first.layerStats.iterations).toEqual([0, 4, 8, 12, 16, 19]);
    expect(first.layerStats.layers.map((layer) => layer.actStd.length)).toEqual([6, 6]);
    // Batchnorm keeps each layer's pre-ReLU units near N(0, 1): post-ReLU std ≈ 0.58 at the start.
    expect(first.layerStats.layers[1].actStd[0]).toBeGreaterThan(0.4);
    expect(first.layerStats.layers[1].actStd[0]).toBeLessThan(0.8);
    expect(first.testAcc).not.toBeNull();
    expect(first.bestValAcc).toBeGreaterThan(0.6);
  });

  it('reports every iteration through onProgress, with accuracies at the checks', () => {
    const seen: number[] = [];
    const checks: number[] = [];
    trainRun(spec('none'), settings, data, (progress) => {
      seen.push(progress.iteration);
      if (progress.valAcc !== undefined) checks.push(progress.iteration);
    });
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(checks).toEqual([1, 5, 10, 15, 20]);
  });
});
