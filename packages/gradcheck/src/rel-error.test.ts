import { ShapeError, tensor } from '@backprop-lab/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { relError, unravelIndex } from './rel-error.js';

describe('relError', () => {
  it('is max |a−b| / max(1e-8, |a|+|b|) over elements', () => {
    const a = tensor([1, 2, -3]);
    const b = tensor([1, 2.2, -3.3]);
    // |2−2.2|/4.2 ≈ 0.0476 and |−3+3.3|/6.3 ≈ 0.0476…: the larger wins.
    expect(relError(a, b)).toBeCloseTo(Math.max(0.2 / 4.2, 0.3 / 6.3), 15);
  });

  it('floors the denominator at 1e-8, so two tiny values read as a large error', () => {
    expect(relError(1e-10, -1e-10)).toBeCloseTo(2e-10 / 1e-8, 15);
    expect(relError(0, 0)).toBe(0);
  });

  it('is symmetric, 0 on equal inputs and at most 1', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            // Bounded so |a| + |b| cannot overflow to Infinity (Infinity / Infinity is NaN, by design).
            fc.double({ noNaN: true, min: -1e300, max: 1e300 }),
            fc.double({ noNaN: true, min: -1e300, max: 1e300 }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        (pairs) => {
          const a = tensor(pairs.map((p) => p[0]));
          const b = tensor(pairs.map((p) => p[1]));
          expect(relError(a, b)).toBe(relError(b, a));
          expect(relError(a, a)).toBe(0);
          expect(relError(a, b)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('surfaces NaN instead of losing it in the max', () => {
    expect(relError(tensor([1, Number.NaN]), tensor([1, 1]))).toBeNaN();
  });

  it('compares across dtypes (a measurement) but names both shapes when they differ', () => {
    expect(relError(tensor([1.5], [1], 'float32'), tensor([1.5]))).toBe(0);
    expect(() => relError(tensor([1, 2]), tensor([[1, 2]]))).toThrow(ShapeError);
    expect(() => relError(tensor([1, 2]), tensor([[1, 2]]))).toThrow(
      'relError: shapes differ: a [2] vs b [1,2]',
    );
    expect(() => relError('1' as never, 1)).toThrow('relError: a must be a Tensor or a number');
  });
});

describe('unravelIndex', () => {
  it('turns a row-major offset into a multi-index', () => {
    expect(unravelIndex(5, [2, 3])).toEqual([1, 2]);
    expect(unravelIndex(13, [2, 3, 4])).toEqual([1, 0, 1]);
    expect(unravelIndex(0, [])).toEqual([]);
  });
});
