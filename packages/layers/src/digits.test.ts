// Learning real data: a 2-layer net (affine - relu - affine - softmax) on the 1,797 UCI handwritten
// digits (8×8, values 0..16), trained by plain minibatch SGD written right here.
// The file is a committed fixture: datasets/fixtures/digits.csv (source and licence in its README).
import { readFileSync } from 'node:fs';
import { addScaledInPlace, argmax, createRng, gatherRows, permutation, Tensor } from '@backprop-lab/tensor';
import { DIGITS_CSV } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { FullyConnectedNet } from './fc-net.js';

/** Header `label,p0..p63`; pixels scaled to [0, 1]. Plain split: the data package is not a dependency. */
function readDigits(path: string): { X: Tensor; y: Int32Array } {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  expect(header[0]).toBe('label');
  const D = header.length - 1;
  const rows = lines.slice(1);
  const X = new Float64Array(rows.length * D);
  const y = new Int32Array(rows.length);
  rows.forEach((line, n) => {
    const cells = line.split(',').map(Number);
    y[n] = cells[0];
    for (let j = 0; j < D; j++) X[n * D + j] = cells[j + 1] / 16;
  });
  return { X: new Tensor(X, [rows.length, D]), y };
}

function accuracy(net: FullyConnectedNet, X: Tensor, y: Int32Array): number {
  const predicted = argmax(net.loss(X), { axis: 1 }).data;
  let correct = 0;
  for (let n = 0; n < y.length; n++) if (predicted[n] === y[n]) correct += 1;
  return correct / y.length;
}

describe('learning real data', () => {
  it('a 2-layer net reaches > 90% validation accuracy on the digits with plain SGD', () => {
    const { X, y } = readDigits(DIGITS_CSV);
    expect(X.shape).toEqual([1797, 64]);
    const rng = createRng(0);
    const order = permutation(1797, rng);
    const trainIndex = order.subarray(0, 1497);
    const valIndex = order.subarray(1497);
    const pick = (index: Int32Array) => ({ X: gatherRows(X, index), y: Int32Array.from(index, (i) => y[i]) });
    const train = pick(trainIndex);
    const val = pick(valIndex);

    const net = new FullyConnectedNet({
      hiddenDims: [64],
      inputDim: 64,
      numClasses: 10,
      weightScale: 0.1,
      reg: 1e-4,
      seed: 1,
    });
    const learningRate = 0.2;
    const batchSize = 64;
    const losses: number[] = [];
    for (let step = 0; step < 400; step++) {
      const batch = Int32Array.from({ length: batchSize }, () => rng.int(1497));
      const { loss, grads } = net.loss(
        gatherRows(train.X, batch),
        Int32Array.from(batch, (i) => train.y[i]),
      );
      losses.push(loss);
      for (const name of Object.keys(net.params))
        addScaledInPlace(net.params[name], grads[name], -learningRate);
    }
    expect(losses[0]).toBeCloseTo(Math.log(10), 0);
    expect(losses.slice(-20).reduce((s, v) => s + v, 0) / 20).toBeLessThan(0.3);
    expect(accuracy(net, val.X, val.y)).toBeGreaterThan(0.9);
  });
});
