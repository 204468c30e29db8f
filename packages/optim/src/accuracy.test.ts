import { createRng, type Tensor, tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { checkAccuracy, sampleWithoutReplacement } from './accuracy.js';
import type { Model } from './model.js';

/** A model whose scores are its input: accuracy is then the fraction of rows whose largest entry is y. */
function identityModel(calls: number[] = []): Model {
  return {
    params: {},
    loss: ((X: Tensor) => {
      calls.push(X.shape[0]);
      return X;
    }) as Model['loss'],
  };
}

const scores = tensor([
  [0.9, 0.1],
  [0.2, 0.8],
  [0.7, 0.3],
  [0.4, 0.6],
  [0.5, 0.1],
]);
const labels = Int32Array.from([0, 1, 1, 1, 0]);

describe('checkAccuracy', () => {
  it('is the fraction of rows whose argmax is the label, whatever the batch size', () => {
    for (const batchSize of [1, 2, 5, 100]) {
      const calls: number[] = [];
      expect(checkAccuracy(identityModel(calls), scores, labels, { batchSize })).toBe(4 / 5);
      expect(calls.reduce((a, b) => a + b, 0)).toBe(5);
      expect(Math.max(...calls)).toBe(Math.min(batchSize, 5));
    }
  });

  it('scores a seeded subsample of numSamples distinct rows when N is larger', () => {
    const rows = tensor(Array.from({ length: 50 }, (_, i) => [i % 2, 1 - (i % 2)]));
    const y = Int32Array.from({ length: 50 }, (_, i) => (i < 25 ? 0 : 1));
    const a = checkAccuracy(identityModel(), rows, y, { numSamples: 10, rng: createRng(4) });
    const b = checkAccuracy(identityModel(), rows, y, { numSamples: 10, rng: createRng(4) });
    expect(a).toBe(b);
    expect(Number.isInteger(a * 10)).toBe(true);
    const calls: number[] = [];
    checkAccuracy(identityModel(calls), rows, y, { numSamples: 80 });
    expect(calls).toEqual([50]);
  });

  it('names the argument at fault', () => {
    expect(() => checkAccuracy(identityModel(), scores, new Int32Array(4))).toThrow(
      'checkAccuracy: y has 4 labels but X [5,2] has 5 rows',
    );
    expect(() => checkAccuracy(identityModel(), scores, labels, { batchSize: 0 })).toThrow(
      'checkAccuracy: batchSize must be an integer >= 1, got 0',
    );
    expect(() => checkAccuracy(identityModel(), scores, labels, { numSamples: 2 })).toThrow(
      'checkAccuracy: numSamples 2 < 5 rows needs an rng',
    );
    const flat: Model = { params: {}, loss: (() => tensor([1, 2])) as unknown as Model['loss'] };
    expect(() => checkAccuracy(flat, scores, labels, { batchSize: 2 })).toThrow(
      'checkAccuracy: model.loss(X) must return scores [N, C] with N = 2, got a Tensor [2]',
    );
  });
});

describe('sampleWithoutReplacement', () => {
  it('draws k distinct indices below n, the same ones for the same seed', () => {
    const a = sampleWithoutReplacement(100, 30, createRng(1));
    expect(a).toHaveLength(30);
    expect(new Set(a).size).toBe(30);
    expect(Array.from(a).every((i) => i >= 0 && i < 100)).toBe(true);
    expect(Array.from(sampleWithoutReplacement(100, 30, createRng(1)))).toEqual(Array.from(a));
    expect(Array.from(sampleWithoutReplacement(100, 30, createRng(2)))).not.toEqual(Array.from(a));
    expect([...sampleWithoutReplacement(5, 5, createRng(3))].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
