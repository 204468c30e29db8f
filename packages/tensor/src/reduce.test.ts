import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, zeros } from './create.js';
import { mul } from './elementwise.js';
import { argmax, max, mean, min, sum, variance, vdot } from './reduce.js';
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

it('sums an empty axis to zeros', () => {
  expect(Array.from(sum(zeros([0, 3]), 0).data)).toEqual([0, 0, 0]);
});

describe('reduction arguments, as numpy users write them', () => {
  const t = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('takes the axis as a number: sum(x, 0) sums over axis 0, not everything', () => {
    expect(Array.from(sum(t, 0).data)).toEqual([5, 7, 9]);
    expect(Array.from(mean(t, -1).data)).toEqual([2, 5]);
    expect(Array.from(max(t, 0).data)).toEqual([4, 5, 6]);
    expect(Array.from(min(t, 1).data)).toEqual([1, 4]);
    expect(Array.from(argmax(t, 1).data)).toEqual([2, 2]);
    expect(Array.from(variance(t, 0).data)).toEqual([2.25, 2.25, 2.25]);
  });

  it('rejects unknown option keys, wrong types and other arguments, naming the op', () => {
    for (const op of [sum, mean, variance, max, min, argmax]) {
      expect(() => op(t, { axsi: 0 } as never)).toThrow(
        `${op.name}: unknown option 'axsi' (options: axis, keepDims)`,
      );
    }
    expect(() => sum(t, { axis: '0' } as never)).toThrow('sum: axis must be a number, got 0');
    expect(() => sum(t, { keepDims: 1 } as never)).toThrow('sum: keepDims must be a boolean, got 1');
    expect(() => sum(t, 'rows' as never)).toThrow(
      'sum: expected an axis or { axis, keepDims } after the tensor, got rows',
    );
    expect(() => sum(t, 0.5)).toThrow('sum: axis 0.5 is out of range for a tensor of rank 2');
  });
});

describe('vdot', () => {
  it('is Σ a·b over every element, as numpy.vdot: ΣW² of W with itself', () => {
    const a = tensor([1, -2, 3, 0.5, 4, 5, -6, 7, 8, 9, 10], [11]);
    const b = tensor([2, 1, -1, 2, 0, 1, 1, 1, -1, 1, 0.5], [11]);
    expect(vdot(a, b).item()).toBe(2 - 2 - 3 + 1 + 0 + 5 - 6 + 7 - 8 + 9 + 5);
    const w = tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [2, 3], 'float32');
    const result = vdot(w, w);
    expect(result.shape).toEqual([]);
    expect(result.dtype).toBe('float32');
    expect(result.item()).toBeCloseTo(sum(mul(w, w)).item(), 6);
    expect(vdot(zeros([0]), zeros([0])).item()).toBe(0);
  });

  it('names the shapes or dtypes that differ', () => {
    expect(() => vdot(zeros([2, 3]), zeros([3, 2]))).toThrow(/vdot: shapes differ: \[2,3\] and \[3,2\]/);
    expect(() => vdot(zeros([2]), zeros([2], 'float32'))).toThrow(/vdot: dtypes differ: float64 and float32/);
    expect(() => vdot([1, 2] as never, zeros([2]))).toThrow(/vdot: inputs must be Tensors/);
  });
});
