import { createRng, matmul, randn, ShapeError, type Tensor, tensor } from '@backprop-lab/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numericalGradient, numericalGradientArray, scalarize } from './numerical.js';
import { relError } from './rel-error.js';

const sumOf = (t: Tensor, fn: (v: number) => number): number => {
  let total = 0;
  for (let i = 0; i < t.size; i++) total += fn(t.data[i]);
  return total;
};

describe('numericalGradient', () => {
  it('differentiates Σx² to 2x', () => {
    const x = tensor([
      [3, -1.5],
      [0.25, 7],
    ]);
    const grad = numericalGradient((t) => sumOf(t, (v) => v * v), x);
    expect(grad.shape).toEqual([2, 2]);
    // Centered differences are exact for quadratics up to rounding.
    expect(
      relError(
        grad,
        tensor([
          [6, -3],
          [0.5, 14],
        ]),
      ),
    ).toBeLessThan(1e-9);
  });

  it('differentiates Σ sin x to cos x', () => {
    const x = randn([3, 4], createRng(1));
    const grad = numericalGradient((t) => sumOf(t, Math.sin), x);
    const want = tensor(Array.from(x.data, Math.cos), [3, 4]);
    expect(relError(grad, want)).toBeLessThan(1e-8);
  });

  it('differentiates Σ (A·x) ⊙ B to Aᵀ·B (a matmul-based function)', () => {
    const rng = createRng(2);
    const A = randn([5, 3], rng);
    const B = randn([5, 4], rng);
    const x = randn([3, 4], rng);
    const f = (t: Tensor) => {
      const y = matmul(A, t);
      let total = 0;
      for (let i = 0; i < y.size; i++) total += y.data[i] * B.data[i];
      return total;
    };
    const grad = numericalGradient(f, x);
    expect(relError(grad, matmul(A, B, { transA: true }))).toBeLessThan(1e-8);
  });

  it('keeps x bit for bit, even for values that do not survive ±h round trips', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 12 }),
        (values) => {
          const x = tensor(values);
          const before = x.data.slice();
          numericalGradient((t) => sumOf(t, (v) => v * v * v), x);
          expect(Array.from(x.data)).toEqual(Array.from(before));
          expect(Object.is(x.data[0], before[0])).toBe(true);
        },
      ),
    );
  });

  it('restores x when f throws', () => {
    const x = tensor([0.1, 0.2]);
    expect(() =>
      numericalGradient(() => {
        throw new Error('boom');
      }, x),
    ).toThrow('boom');
    expect(Array.from(x.data)).toEqual([0.1, 0.2]);
  });

  it('returns x dtype and honours h', () => {
    const x = tensor([1, 2], [2], 'float32');
    const grad = numericalGradient((t) => sumOf(t, (v) => 3 * v), x, { h: 1e-2 });
    expect(grad.dtype).toBe('float32');
    expect(grad.data[0]).toBeCloseTo(3, 4);
  });

  it('rejects bad arguments with messages naming them', () => {
    const x = tensor([1]);
    expect(() => numericalGradient((t) => t.data[0], x, { h: 0 })).toThrow(
      'numericalGradient: h must be a finite number > 0, got 0',
    );
    expect(() => numericalGradient((t) => t.data[0], x, { step: 1 } as never)).toThrow(
      "numericalGradient: unknown option 'step' (known: h)",
    );
    expect(() => numericalGradient(() => 'x' as never, x)).toThrow(
      'numericalGradient: f must return a number',
    );
    expect(() => numericalGradient((t) => t.data[0], [1] as never)).toThrow(
      'numericalGradient: x must be a Tensor',
    );
  });
});

describe('numericalGradientArray', () => {
  it('computes the vector-Jacobian product Σ (f(x+h)−f(x−h))·dout / 2h', () => {
    const rng = createRng(3);
    const W = randn([4, 3], rng);
    const x = randn([2, 4], rng);
    const dout = randn([2, 3], rng);
    // f(x) = x·W, so dx = dout·Wᵀ.
    const dx = numericalGradientArray((t) => matmul(t, W), x, dout);
    expect(relError(dx, matmul(dout, W, { transB: true }))).toBeLessThan(1e-9);
  });

  it('equals the scalar form applied to scalarize(f, dout)', () => {
    const rng = createRng(4);
    const x = randn([3, 2], rng);
    const dout = randn([3, 2], rng);
    const f = (t: Tensor) => tensor(Array.from(t.data, Math.tanh), t.shape);
    const viaArray = numericalGradientArray(f, x, dout);
    const viaScalar = numericalGradient(scalarize(f, dout), x);
    expect(relError(viaArray, viaScalar)).toBeLessThan(1e-8);
  });

  it('names both shapes when f(x) and dout disagree', () => {
    const x = tensor([1, 2]);
    expect(() => numericalGradientArray((t) => t, x, tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => numericalGradientArray((t) => t, x, tensor([1, 2, 3]))).toThrow(
      'numericalGradientArray: f(x) has shape [2] but dout has shape [3]',
    );
    expect(() => scalarize((t) => t, tensor([1]))(x)).toThrow(
      'scalarize: f(x) has shape [2] but dout has shape [1]',
    );
  });
});
