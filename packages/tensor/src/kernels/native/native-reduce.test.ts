// The native sums, means and variances against reduce.ts's JavaScript loops (typescriptBackend): the same
// bits (Object.is) in both dtypes, along every axis and over everything, with NaN, ±0, ±∞, subnormals
// and sums that overflow float32 or cancel.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setBackend, typescriptBackend } from '../../backend.js';
import { tensor } from '../../create.js';
import type { DType } from '../../dtype.js';
import { mean, sum, variance, vdot } from '../../reduce.js';
import type { Tensor } from '../../tensor.js';
import type { Backend } from '../types.js';
import { nativeBackend } from './native-backend.js';

const SPECIAL = [Number.NaN, Infinity, -Infinity, 0, -0, 5e-324, 1e-40, 3.4e38, -1e308, 1, -1];
const value = fc.oneof(
  fc.constantFrom(...SPECIAL),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.double(),
);

function on<T>(backend: Backend, fn: () => T): T {
  const before = setBackend(backend);
  try {
    return fn();
  } finally {
    setBackend(before);
  }
}

function expectSameBits(got: Tensor, want: Tensor, label: string): void {
  expect(got.shape, label).toEqual(want.shape);
  const differing: number[] = [];
  for (let i = 0; i < got.size; i++) if (!Object.is(got.data[i], want.data[i])) differing.push(i);
  expect(differing, label).toEqual([]);
}

const native = nativeBackend({ threads: 1, elementwiseMin: 0 });

describe.each(['float64', 'float32'] as DType[])('native reductions, %s', (dtype) => {
  it('sum, mean and variance give the bits of reduce.ts along every axis and over everything', () => {
    const shapes = fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(
        shapes.chain((shape) =>
          fc.tuple(
            fc.constant(shape),
            fc.array(value, {
              minLength: shape.reduce((a, b) => a * b, 1),
              maxLength: shape.reduce((a, b) => a * b, 1),
            }),
          ),
        ),
        ([shape, values]) => {
          const t = tensor(values, shape, dtype);
          for (const op of [sum, mean, variance]) {
            for (const axis of [undefined, ...shape.keys()]) {
              const label = `${op.name} ${shape} axis ${axis}`;
              expectSameBits(
                on(native, () => op(t, { axis })),
                on(typescriptBackend, () => op(t, { axis })),
                label,
              );
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('vdot gives the bits of its JavaScript loop (eight running sums), with special values and any tail', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 40 })
          .chain((n) =>
            fc.tuple(
              fc.array(value, { minLength: n, maxLength: n }),
              fc.array(value, { minLength: n, maxLength: n }),
            ),
          ),
        ([x, y]) => {
          const [a, b] = [tensor(x, [x.length], dtype), tensor(y, [y.length], dtype)];
          expectSameBits(
            on(native, () => vdot(a, b)),
            on(typescriptBackend, () => vdot(a, b)),
            `vdot n=${x.length}`,
          );
        },
      ),
      { numRuns: 300 },
    );
    const n = 307_203;
    const w = tensor(
      Array.from({ length: n }, (_, i) => Math.sin(i * 0.11) * 1e-2),
      [n],
      dtype,
    );
    expectSameBits(
      on(native, () => vdot(w, w)),
      on(typescriptBackend, () => vdot(w, w)),
      'vdot W1-sized',
    );
  });

  it('runs more outputs than one block (256) and sums along a long axis, as the net does', () => {
    const values = (n: number) =>
      Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 10 ** ((i % 7) - 3));
    const wide = tensor(values(30 * 600), [30, 600], dtype);
    const tall = tensor(values(300 * 10), [300, 10], dtype);
    for (const [t, axis] of [
      [wide, 0],
      [wide, 1],
      [tall, 0],
      [tall, -1],
    ] as const) {
      for (const op of [sum, mean, variance]) {
        expectSameBits(
          on(native, () => op(t, axis)),
          on(typescriptBackend, () => op(t, axis)),
          `${op.name} ${axis}`,
        );
      }
    }
  });
});

it('runs one sum over a whole tensor natively and leaves other reductions to JavaScript', () => {
  const reduce = native.reduce;
  const x = new Float64Array(1000);
  expect(reduce?.('sum', new Float64Array(1), x, 1, 1000, 1)).toBe(true);
  expect(reduce?.('max', new Float64Array(10), x, 10, 100, 1)).toBe(false);
  expect(reduce?.('sum', new Float64Array(10), x, 10, 100, 1)).toBe(true);
});
