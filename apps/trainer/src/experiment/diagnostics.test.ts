import { Solver } from '@backprop-lab/optim';
import { createRng, randn, tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import type { Norm, RunSpec } from '../config.js';
import { deadFraction, HISTOGRAM_BINS, histogram, histogramIterations } from './diagnostics.js';
import { buildNet, type RunData, type TrainSettings, trainRun } from './train-run.js';

function tinyData(): RunData {
  const rng = createRng(5);
  const split = (rows: number) => {
    const y = Int32Array.from({ length: rows }, (_, i) => i % 3);
    const X = randn([rows, 6], rng);
    for (let i = 0; i < rows; i++) X.data[i * 6 + y[i]] += 3;
    return { X, y };
  };
  return { train: split(40), val: split(30), test: split(20), numClasses: 3 };
}

const settings: TrainSettings = {
  epochs: 4,
  optimizer: 'sgd',
  lrDecay: 1,
  reg: 0,
  dropout: 1,
  dtype: 'float64',
  statsEvery: 3,
};

function spec(norm: Norm): RunSpec {
  return {
    id: `${norm}-s1`,
    index: 0,
    norm,
    seed: 1,
    hidden: [8, 8],
    weightScale: 0.1,
    batchSize: 8,
    lr: 0.05,
    sweepValue: null,
  };
}

describe('diagnostics helpers', () => {
  it('histogram: shares of log10|x| bins, zeros apart, the ends clamped', () => {
    const { log10Min, binWidth } = HISTOGRAM_BINS;
    const h = histogram([0, 0, 1, -1, 0.01, 1e-30, 1e30, 1.5]);
    expect(h.zero).toBe(2 / 8);
    const bin = (x: number) => Math.floor((Math.log10(x) - log10Min) / binWidth);
    expect(h.counts[bin(1)]).toBe(3 / 8); // 1, −1 and 1.5 (log10 1.5 = 0.18 < 0.25)
    expect(h.counts[bin(0.01)]).toBe(1 / 8);
    expect(h.counts[0]).toBe(1 / 8);
    expect(h.counts[h.counts.length - 1]).toBe(1 / 8);
    expect(h.zero + h.counts.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('deadFraction: units zero for every row', () => {
    // 3 rows × 4 units: unit 0 fires once, units 1 and 3 never, unit 2 always.
    const a = tensor([
      [0, 0, 1, 0],
      [2, 0, 1, 0],
      [0, 0, 3, 0],
    ]);
    expect(deadFraction(a)).toBe(0.5);
  });

  it('histogramIterations: first, middle on the sampling grid, last', () => {
    expect(histogramIterations(10, 200)).toEqual({ start: 0, middle: 100, end: 199 });
    expect(histogramIterations(3, 20)).toEqual({ start: 0, middle: 9, end: 19 });
  });
});

describe('trainRun diagnostics', () => {
  const data = tinyData();

  it('with sgd the update:data ratio is log10(lr · ‖dW‖ / ‖W‖) of the same iteration', () => {
    const run = trainRun(spec('none'), settings, data);
    const { iterations, weights, layers, histograms } = run.layerStats;
    expect(iterations).toEqual([0, 3, 6, 9, 12, 15, 18, 19]);
    expect(weights.map((w) => w.name)).toEqual(['W1', 'W2', 'W3']);
    for (const w of weights) {
      expect(w.updateRatio).toHaveLength(iterations.length);
      w.updateRatio.forEach((ratio, i) => {
        expect(ratio).toBeCloseTo(Math.log10(0.05 * w.gradRatio[i]), 10);
      });
    }
    for (const layer of layers) {
      expect(layer.deadFraction).toHaveLength(iterations.length);
      for (const share of layer.deadFraction) expect(share).toBeGreaterThanOrEqual(0);
    }
    expect(histograms.map((h) => [h.stage, h.iteration])).toEqual([
      ['start', 0],
      ['middle', 9],
      ['end', 19],
    ]);
    // Post-ReLU activations: about half the entries are exact zeros; the shares add up to 1.
    const start = histograms[0].layers[0].activation;
    expect(start.zero).toBeGreaterThan(0.2);
    expect(start.zero + start.counts.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(run.bnGap).toBeNull();
  });

  it('batchnorm: the gap is measured at every accuracy check without disturbing training', () => {
    const run = trainRun(spec('batchnorm'), settings, data);
    const gap = run.bnGap!;
    expect(gap.iterations).toEqual(run.accIterations);
    expect(gap.rows).toBe(24);
    expect(gap.batchSize).toBe(8);
    for (const series of [gap.batchStats.acc, gap.runningStats.acc]) {
      expect(series).toHaveLength(run.accIterations.length);
      for (const acc of series) expect(acc).toBeGreaterThanOrEqual(0);
    }
    // After training, running statistics have caught up: the two modes score alike.
    expect(Math.abs(gap.batchStats.acc.at(-1)! - gap.runningStats.acc.at(-1)!)).toBeLessThan(0.25);
    // The probe passes leave the trained net alone: a plain Solver on the same net trains to the same bits.
    const solver = new Solver(
      buildNet(spec('batchnorm'), settings, data),
      { XTrain: data.train.X, yTrain: data.train.y, XVal: data.val.X, yVal: data.val.y },
      {
        optimConfig: { learningRate: 0.05 },
        batchSize: 8,
        numEpochs: settings.epochs,
        numTrainSamples: null,
        seed: 1,
      },
    );
    solver.trainSync();
    expect(run.lossHistory).toEqual(solver.lossHistory);
    expect(run.valAccHistory).toEqual(solver.valAccHistory);
  });

  it('the best model is the net of its best epoch, running statistics included', () => {
    const long = trainRun(spec('batchnorm'), { ...settings, epochs: 8 }, data);
    const best = long.valAccHistory.indexOf(long.bestValAcc);
    const bestEpoch = long.accIterations[best] / long.iterationsPerEpoch;
    // Not the first check nor the last epoch, or the test would not tell the two models apart.
    expect(Number.isInteger(bestEpoch) && bestEpoch >= 1 && bestEpoch < 8).toBe(true);
    expect(long.finalTestAcc).not.toBeNull();
    const short = trainRun(spec('batchnorm'), { ...settings, epochs: bestEpoch }, data);
    expect(long.testAcc).toBe(short.finalTestAcc);
  });
});
