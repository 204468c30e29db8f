import { tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { summarizeDataset } from './inspect.js';

describe('summarizeDataset', () => {
  it('counts classes and gives min, max, mean and population std', () => {
    const data = {
      X: tensor([
        [0, 2],
        [4, 6],
      ]),
      y: Int32Array.from([1, 1]),
      numClasses: 3,
    };
    const summary = summarizeDataset(data);
    expect(summary.rows).toBe(2);
    expect(summary.features).toBe(2);
    expect(summary.classCounts).toEqual([0, 2, 0]);
    expect(summary.values).toEqual({ min: 0, max: 6, mean: 3, std: Math.sqrt(5) });
    expect(summary.channels).toBeUndefined();
  });

  it('gives red, green and blue statistics for 3072-column rows', () => {
    const data = new Float64Array(2 * 3072);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3072; j++) data[i * 3072 + j] = Math.floor(j / 1024) * 100 + i * 10;
    const summary = summarizeDataset({
      X: tensor(data, [2, 3072]),
      y: Int32Array.from([0, 1]),
      numClasses: 2,
      classNames: ['a', 'b'],
    });
    expect(summary.channels).toEqual([
      { channel: 'red', min: 0, max: 10, mean: 5, std: 5 },
      { channel: 'green', min: 100, max: 110, mean: 105, std: 5 },
      { channel: 'blue', min: 200, max: 210, mean: 205, std: 5 },
    ]);
    expect(summary.classNames).toEqual(['a', 'b']);
  });
});
