import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapes } from './broadcast.js';
import { tensor, zeros } from './create.js';
import {
  add,
  div,
  equal,
  exp,
  greater,
  log,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  sqrt,
  sub,
  where,
} from './elementwise.js';
import { ShapeError, shapeSize, stridesOf } from './shape.js';
import type { Tensor } from './tensor.js';

/** Naive broadcast: for every output multi-index, read each input at the index clamped to its dims. */
function naiveBinary(a: Tensor, b: Tensor, fn: (x: number, y: number) => number): number[] {
  const rank = Math.max(a.rank, b.rank);
  const outShape = Array.from({ length: rank }, (_, i) => {
    const da = a.shape[a.rank - rank + i] ?? 1;
    const db = b.shape[b.rank - rank + i] ?? 1;
    return Math.max(da, db);
  });
  const read = (t: Tensor, index: number[]): number => {
    const strides = stridesOf(t.shape);
    let offset = 0;
    for (let axis = 0; axis < t.rank; axis++) {
      const i = index[rank - t.rank + axis];
      offset += (t.shape[axis] === 1 ? 0 : i) * strides[axis];
    }
    return t.data[offset];
  };
  const out: number[] = [];
  const outStrides = stridesOf(outShape);
  for (let flat = 0; flat < shapeSize(outShape); flat++) {
    const index = outStrides.map((s, axis) => Math.floor(flat / s) % outShape[axis]);
    out.push(fn(read(a, index), read(b, index)));
  }
  return out;
}

/** Two shapes that broadcast: start from one shape and set random dims of the other to 1 or drop leading axes. */
const broadcastablePair = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
      fc.nat({ max: shape.length }),
    ),
  )
  .map(([shape, onesA, onesB, drop]) => ({
    a: shape.map((d, i) => (onesA[i] ? 1 : d)),
    b: shape.map((d, i) => (onesB[i] ? 1 : d)).slice(drop),
  }));

const filled = (shape: number[], seed: number): Tensor =>
  tensor(
    Array.from({ length: shapeSize(shape) }, (_, i) => Math.sin(seed + i * 1.7) * 3),
    shape,
  );

describe('broadcasting binary ops', () => {
  it('match a naive index-by-index loop on random broadcastable shapes', () => {
    fc.assert(
      fc.property(broadcastablePair, fc.integer(), ({ a, b }, seed) => {
        const ta = filled(a, seed);
        const tb = filled(b, seed + 1);
        for (const [op, fn] of [
          [add, (x: number, y: number) => x + y],
          [sub, (x: number, y: number) => x - y],
          [mul, (x: number, y: number) => x * y],
          [maximum, (x: number, y: number) => Math.max(x, y)],
        ] as const) {
          const got = op(ta, tb);
          expect(Array.from(got.data)).toEqual(naiveBinary(ta, tb, fn));
          expect(got.shape).toEqual(broadcastShapes('test', a, b));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('broadcasts a row vector over a matrix and a column over rows', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(add(x, tensor([10, 20, 30])).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(sub(x, tensor([[1], [4]])).toArray()).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
  });

  it('accepts scalar operands on either side, keeping the tensor dtype', () => {
    const x = tensor([1, 2, 4], undefined, 'float32');
    expect(Array.from(div(8, x).data)).toEqual([8, 4, 2]);
    expect(pow(x, 2).dtype).toBe('float32');
    expect(Array.from(minimum(x, 2).data)).toEqual([1, 2, 2]);
  });

  it('names the op and both shapes when shapes do not broadcast', () => {
    expect(() => add(zeros([2, 3]), zeros([4]))).toThrow(ShapeError);
    expect(() => add(zeros([2, 3]), zeros([4]))).toThrow('add: shapes do not broadcast: a [2,3] vs b [4]');
  });

  it('refuses to mix dtypes instead of silently promoting', () => {
    expect(() => mul(zeros([2]), zeros([2], 'float32'))).toThrow(
      'mul: dtypes differ: a is float64, b is float32',
    );
  });
});

describe('unary ops, comparisons and where', () => {
  it('computes exp, log, sqrt, neg elementwise', () => {
    const x = tensor([1, 4, 9]);
    expect(Array.from(sqrt(x).data)).toEqual([1, 2, 3]);
    expect(Array.from(neg(x).data)).toEqual([-1, -4, -9]);
    expect(log(exp(x)).data[2]).toBeCloseTo(9, 12);
  });

  it('comparisons give 0/1 masks that where() consumes', () => {
    const x = tensor([-2, 0, 3]);
    const mask = greater(x, 0);
    expect(Array.from(mask.data)).toEqual([0, 0, 1]);
    expect(Array.from(equal(x, 0).data)).toEqual([0, 1, 0]);
    expect(Array.from(where(mask, x, 0).data)).toEqual([0, 0, 3]);
  });

  it('where broadcasts condition, a and b together', () => {
    const cond = tensor([[1], [0]]);
    const out = where(cond, tensor([1, 2, 3]), -1);
    expect(out.toArray()).toEqual([
      [1, 2, 3],
      [-1, -1, -1],
    ]);
  });
});
