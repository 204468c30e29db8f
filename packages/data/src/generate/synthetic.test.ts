import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@backprop-lab/test-support';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATASET_DIR } from '../default-dataset.js';
import {
  generateSynthetic,
  SYNTHETIC_CLASS_NAMES,
  SYNTHETIC_SAMPLE,
  splitSeed,
  writeSyntheticCsv,
  writeSyntheticDataset,
} from './synthetic.js';

describe('generateSynthetic', () => {
  it('gives identical bytes for the same seed and different ones for another seed', () => {
    const a = generateSynthetic(30, 7);
    const b = generateSynthetic(30, 7);
    const c = generateSynthetic(30, 8);
    expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Buffer.from(a.pixels).equals(Buffer.from(c.pixels))).toBe(false);
  });

  it('balances the 10 classes and shuffles them', () => {
    const { labels } = generateSynthetic(95, 3);
    const counts = new Array<number>(10).fill(0);
    for (const label of labels) counts[label]++;
    expect(counts).toEqual([10, 10, 10, 10, 10, 9, 9, 9, 9, 9]);
    expect(Array.from(labels.slice(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(SYNTHETIC_CLASS_NAMES).toHaveLength(10);
  });

  it('gives every split its own stream', () => {
    expect(
      new Set([splitSeed(1, 'train'), splitSeed(1, 'val'), splitSeed(1, 'test'), splitSeed(2, 'train')]).size,
    ).toBe(4);
  });
});

describe('the synthetic CSV files', () => {
  it('are byte-identical for the same seed', async () => {
    const [one, two] = [await tempDir('gen'), await tempDir('gen')];
    const sizes = { train: 12, val: 5, test: 0, seed: 9 };
    const first = await writeSyntheticDataset(one, sizes);
    const second = await writeSyntheticDataset(two, sizes);
    expect(Object.keys(first)).toEqual(['train', 'val']);
    for (const split of ['train', 'val'] as const) {
      expect((await readFile(first[split]!)).equals(await readFile(second[split]!))).toBe(true);
    }
    expect(await readFile(join(one, 'synthetic-train.classes.txt'), 'utf8')).toBe(
      `${SYNTHETIC_CLASS_NAMES.join('\n')}\n`,
    );
  });

  it('match the committed sample datasets/sample-train.csv', async () => {
    const dir = await tempDir('gen');
    const path = join(dir, SYNTHETIC_SAMPLE.file);
    await writeSyntheticCsv(path, SYNTHETIC_SAMPLE.rows, SYNTHETIC_SAMPLE.seed);
    const committed = await readFile(join(DEFAULT_DATASET_DIR, SYNTHETIC_SAMPLE.file));
    expect(committed.length).toBeLessThan(1_000_000);
    expect((await readFile(path)).equals(committed)).toBe(true);
  });
});

describe('learnability', () => {
  it('lets a linear softmax classifier learn well above chance but far from 100%', () => {
    const train = generateSynthetic(2000, 11);
    const test = generateSynthetic(500, 12);
    const accuracy = softmaxRegressionAccuracy(train, test, 5);
    expect(accuracy.test).toBeGreaterThan(0.35);
    expect(accuracy.test).toBeLessThan(0.8);
    expect(accuracy.train).toBeLessThan(0.9);
  });
});

/**
 * Plain-loop softmax regression on pixels / 255 minus the training mean image: SGD, one sample at a time,
 * learning rate 5e-3, L2 1e-3. Returns train and test accuracy.
 */
function softmaxRegressionAccuracy(
  train: { pixels: Uint8Array; labels: Int32Array },
  test: { pixels: Uint8Array; labels: Int32Array },
  epochs: number,
): { train: number; test: number } {
  const D = 3072;
  const C = 10;
  const n = train.labels.length;
  const mean = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) mean[j] += train.pixels[i * D + j] / 255 / n;
  const features = (pixels: Uint8Array) => Float64Array.from(pixels, (v, k) => v / 255 - mean[k % D]);
  const [Xtrain, Xtest] = [features(train.pixels), features(test.pixels)];
  const W = new Float64Array(D * C);
  const b = new Float64Array(C);
  const scores = new Float64Array(C);
  const score = (X: Float64Array, i: number) => {
    for (let c = 0; c < C; c++) scores[c] = b[c];
    for (let j = 0; j < D; j++) {
      const x = X[i * D + j];
      for (let c = 0; c < C; c++) scores[c] += x * W[j * C + c];
    }
  };
  const accuracy = (X: Float64Array, y: Int32Array) => {
    let correct = 0;
    for (let i = 0; i < y.length; i++) {
      score(X, i);
      let best = 0;
      for (let c = 1; c < C; c++) if (scores[c] > scores[best]) best = c;
      if (best === y[i]) correct++;
    }
    return correct / y.length;
  };
  const [rate, reg] = [5e-3, 1e-3];
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = 0; i < n; i++) {
      score(Xtrain, i);
      const top = Math.max(...scores);
      let total = 0;
      for (let c = 0; c < C; c++) total += scores[c] = Math.exp(scores[c] - top);
      // dscores = softmax − onehot(y)
      for (let c = 0; c < C; c++) scores[c] = scores[c] / total - (c === train.labels[i] ? 1 : 0);
      for (let j = 0; j < D; j++) {
        const x = Xtrain[i * D + j];
        for (let c = 0; c < C; c++) W[j * C + c] -= rate * (scores[c] * x + reg * W[j * C + c]);
      }
      for (let c = 0; c < C; c++) b[c] -= rate * scores[c];
    }
  }
  return { train: accuracy(Xtrain, train.labels), test: accuracy(Xtest, test.labels) };
}
