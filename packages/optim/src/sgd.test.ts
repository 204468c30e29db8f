import { astype, tensor, zeros } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { sgd, sgdInPlace } from './sgd.js';
import { grid } from './test-support/numbers.js';

describe('sgd', () => {
  it('steps against the gradient by lr, default 1e-2', () => {
    const { w, config } = sgd(tensor([1, -1]), tensor([10, 20]));
    expect(config).toEqual({ learningRate: 1e-2 });
    expect(Array.from(w.data)).toEqual([1 - 1e-2 * 10, -1 - 1e-2 * 20]);
    expect(Array.from(sgd(tensor([1]), tensor([4]), { learningRate: 0.5 }).w.data)).toEqual([-1]);
  });

  it('is pure, and sgdInPlace gives the same bits while updating w in place', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const w = astype(grid(-0.4, 0.6), dtype);
      const dw = astype(grid(-0.6, 0.4), dtype);
      const pure = sgd(w, dw, { learningRate: 0.3 });
      expect(Array.from(w.data)).toEqual(Array.from(astype(grid(-0.4, 0.6), dtype).data));
      expect(pure.w.dtype).toBe(dtype);
      const inPlace = sgdInPlace(w, dw, { learningRate: 0.3 });
      expect(inPlace.w).toBe(w);
      expect(Array.from(w.data)).toEqual(Array.from(pure.w.data));
    }
  });

  it('names the function, the argument and the value in every error', () => {
    const w = zeros([2, 3]);
    expect(() => sgd(w, zeros([3, 2]))).toThrow('sgd: dw [3,2] does not match w [2,3]');
    expect(() => sgdInPlace(w, zeros([2, 3], 'float32'))).toThrow(
      'sgdInPlace: dw is float32 but w is float64',
    );
    expect(() => sgd(w, 0 as never)).toThrow('sgd: dw must be a Tensor, got 0');
    expect(() => sgd(w, w, { learning_rate: 1 } as never)).toThrow(
      "sgd: unknown config key 'learning_rate' (expected one of learningRate)",
    );
    expect(() => sgd(w, w, { learningRate: Number.POSITIVE_INFINITY })).toThrow(
      'sgd: config.learningRate must be a finite number >= 0, got Infinity',
    );
    expect(() => sgd(w, w, [] as never)).toThrow('sgd: config must be an object, got an array');
  });
});
