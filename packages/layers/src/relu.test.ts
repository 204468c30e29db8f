import { numericalGradientArray, relError } from '@backprop-lab/gradcheck';
import { createRng, randn, tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { reluBackward, reluForward } from './relu.js';

describe('relu', () => {
  it('zeroes negatives and keeps positives', () => {
    const { out } = reluForward(tensor([[-2, -0.5, 0, 0.5, 3]]));
    expect(out.toArray()).toEqual([[0, 0, 0, 0.5, 3]]);
  });

  it('passes the gradient only where x > 0 (0 at exactly 0)', () => {
    const { cache } = reluForward(tensor([-1, 0, 2]));
    expect(reluBackward(tensor([5, 5, 5]), cache).toArray()).toEqual([0, 0, 5]);
  });

  it('matches the numerical gradient away from the kink', () => {
    const rng = createRng(1);
    const x = randn([10, 10], rng);
    const dout = randn([10, 10], rng);
    const { cache } = reluForward(x);
    const dx = reluBackward(dout, cache);
    const dxNum = numericalGradientArray((t) => reluForward(t).out, x, dout);
    expect(relError(dx, dxNum)).toBeLessThan(1e-10);
  });

  it('names shapes and dtypes on mistakes', () => {
    const { cache } = reluForward(tensor([1, 2]));
    expect(() => reluBackward(tensor([1, 2, 3]), cache)).toThrow(
      'reluBackward: dout has shape [3] but x has shape [2]',
    );
    expect(() => reluBackward(tensor([1, 2], [2], 'float32'), cache)).toThrow(
      'reluBackward: dtypes differ: dout is float32, x is float64',
    );
    expect(() => reluForward([1, 2] as never)).toThrow('reluForward: x must be a Tensor, got object');
  });
});
