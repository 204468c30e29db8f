import { numericalGradientArray, relError } from '@backprop-lab/gradcheck';
import { createRng, linspace, randn, reshape, ShapeError, tensor } from '@backprop-lab/tensor';
import { describe, expect, it } from 'vitest';
import { affineBackward, affineForward } from './affine.js';

describe('affineForward', () => {
  it('matches the CS231n notebook values on a [2,4,5,6] input', () => {
    const x = reshape(linspace(-0.1, 0.5, 2 * 4 * 5 * 6), [2, 4, 5, 6]);
    const W = reshape(linspace(-0.2, 0.3, 120 * 3), [120, 3]);
    const b = linspace(-0.3, 0.1, 3);
    const { out } = affineForward(x, W, b);
    const expected = tensor([
      [1.49834967, 1.70660132, 1.91485297],
      [3.25553199, 3.5141327, 3.77273342],
    ]);
    expect(out.shape).toEqual([2, 3]);
    expect(relError(out, expected)).toBeLessThan(1e-8);
  });

  it('names the layer, the argument and the shapes on mistakes', () => {
    const x = tensor([[1, 2, 3]]);
    expect(() => affineForward(x, tensor([[1, 2]]), tensor([0, 0]))).toThrow(ShapeError);
    expect(() => affineForward(x, tensor([[1, 2]]), tensor([0, 0]))).toThrow(
      'affineForward: W has shape [1,2] but x [1,3] has 3 features per sample (W must be [3, M])',
    );
    expect(() => affineForward(x, tensor([[1], [2], [3]]), tensor([0, 0]))).toThrow(
      'affineForward: b has shape [2] but W [3,1] has 1 outputs',
    );
    expect(() => affineForward(tensor([1, 2]), tensor([[1]]), tensor([0]))).toThrow(
      'affineForward: x must be [N, d1..dk] (rank >= 2), got shape [2]',
    );
    expect(() => affineForward(x, tensor([[1], [2], [3]], undefined, 'float32'), tensor([0]))).toThrow(
      'affineForward: dtypes differ: W is float32, x is float64',
    );
  });
});

describe('affineBackward', () => {
  const rng = createRng(231);
  const x = randn([10, 2, 3], rng);
  const W = randn([6, 5], rng);
  const b = randn([5], rng);
  const dout = randn([10, 5], rng);
  const { cache } = affineForward(x, W, b);
  const { dx, dW, db } = affineBackward(dout, cache);

  it('gives dx in x’s original shape', () => {
    expect(dx.shape).toEqual([10, 2, 3]);
    expect(dW.shape).toEqual([6, 5]);
    expect(db.shape).toEqual([5]);
  });

  it('matches numerical gradients for dx, dW, db', () => {
    const dxNum = numericalGradientArray((t) => affineForward(t, W, b).out, x, dout);
    const dWNum = numericalGradientArray((t) => affineForward(x, t, b).out, W, dout);
    const dbNum = numericalGradientArray((t) => affineForward(x, W, t).out, b, dout);
    expect(relError(dx, dxNum)).toBeLessThan(1e-8);
    expect(relError(dW, dWNum)).toBeLessThan(1e-8);
    expect(relError(db, dbNum)).toBeLessThan(1e-8);
  });

  it('rejects a dout of the wrong shape', () => {
    expect(() => affineBackward(tensor([[1, 2]]), cache)).toThrow(
      'affineBackward: dout has shape [1,2] but the forward output has shape [10,5]',
    );
  });
});
