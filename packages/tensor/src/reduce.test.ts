import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, zeros } from './create.js';
import { argmax, max, mean, min, sum, variance } from './reduce.js';
import { ShapeError, shapeSize, stridesOf } from './shape.js';

/** Naive reduction: group every element by its index with the axis removed. */
function naiveGroups(shape: number[], data: number[], axis: number): number[][] {
  const strides = stridesOf(shape);
  const outShape = shape.filter((_, i) => i !== axis);
  const groups: number[][] = Array.from({ length: shapeSize(outShape) }, () => []);
  for (let flat = 0; flat < data.length; flat++) {
    const index = strides.map((s, a) => Math.floor(flat / s) % shape[a]);
    const rest = index.filter((_, i) => i !== axis);
    let key = 0;
    for (let i = 0; i < rest.length; i++) key = key * outShape[i] + rest[i];
    groups[key].push(data[flat]);
  }
  return groups;
}

const shapeAndAxis = fc
  .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 })
  .chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 })));

describe('reductions', () => {
  it('sum, mean, variance, max, min, argmax over an axis match naive groups', () => {
    fc.assert(
      fc.property(shapeAndAxis, fc.integer(), ([shape, axis], seed) => {
        const data = Array.from({ length: shapeSize(shape) }, (_, i) => Math.cos(seed * 0.37 + i * 2.1));
        const t = tensor(data, shape);
        const groups = naiveGroups(shape, data, axis);
        const close = (got: ArrayLike<number>, want: number[]) => {
          for (const [i, w] of want.entries()) expect(got[i]).toBeCloseTo(w, 12);
        };
        const sums = groups.map((g) => g.reduce((s, x) => s + x, 0));
        close(sum(t, { axis }).data, sums);
        close(
          mean(t, { axis }).data,
          sums.map((s, i) => s / groups[i].length),
        );
        close(
          variance(t, { axis }).data,
          groups.map((g) => {
            const m = g.reduce((s, x) => s + x, 0) / g.length;
            return g.reduce((s, x) => s + (x - m) ** 2, 0) / g.length;
          }),
        );
        close(
          max(t, { axis }).data,
          groups.map((g) => Math.max(...g)),
        );
        close(
          min(t, { axis }).data,
          groups.map((g) => Math.min(...g)),
        );
        close(
          argmax(t, { axis }).data,
          groups.map((g) => g.indexOf(Math.max(...g))),
        );
        expect(sum(t, { axis }).shape).toEqual(shape.filter((_, i) => i !== axis));
        expect(sum(t, { axis, keepDims: true }).shape).toEqual(shape.map((d, i) => (i === axis ? 1 : d)));
      }),
      { numRuns: 120 },
    );
  });

  it('reduces every element without an axis, keepDims giving all ones', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(sum(t).item()).toBe(10);
    expect(mean(t).shape).toEqual([]);
    expect(sum(t, { keepDims: true }).shape).toEqual([1, 1]);
    expect(variance(t).item()).toBeCloseTo(1.25, 14);
  });

  it('accepts negative axes', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(sum(t, { axis: -1 }).data)).toEqual([6, 15]);
  });

  it('variance is biased (divides by N), as batchnorm uses', () => {
    expect(variance(tensor([1, 3])).item()).toBe(1);
  });

  it('names the op and the axis when the axis is out of range', () => {
    expect(() => sum(zeros([2, 3]), { axis: 2 })).toThrow(ShapeError);
    expect(() => sum(zeros([2, 3]), { axis: 2 })).toThrow(
      'sum: axis 2 is out of range for a tensor of rank 2',
    );
    expect(() => mean(zeros([0]))).toThrow('mean: cannot reduce an empty axis of a tensor of shape [0]');
  });
});
