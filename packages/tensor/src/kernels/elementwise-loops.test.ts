// The ops' compiled loops against their reference paths (binary, unary, whereReference: a function call
// per element along numpy's strided walk): the same bits (Object.is: −0 and NaN count), both dtypes, on
// random broadcastable shapes with special values. On the typescript backend, so that these are the
// JavaScript loops whatever backend is the default (native-elementwise.test.ts holds the C ones to these).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, setBackend, typescriptBackend } from '../backend.js';
import { tensor } from '../create.js';
import type { DType } from '../dtype.js';
import {
  abs,
  add,
  binary,
  div,
  equal,
  exp,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  type Operand,
  pow,
  sqrt,
  square,
  sub,
  unary,
  where,
  whereReference,
} from '../elementwise.js';
import { shapeSize } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { planLoop } from './elementwise-loops.js';

let previous: Backend;
beforeAll(() => {
  previous = setBackend(typescriptBackend);
});
afterAll(() => setBackend(previous));

const SPECIAL = [Number.NaN, Infinity, -Infinity, 0, -0, 5e-324, 1e308, -1, 1];

type Binary = (a: Operand, b: Operand) => Tensor;

/** Each op, and the function its reference path calls per element. */
const BINARY: [string, Binary, (x: number, y: number) => number][] = [
  ['add', add, (x, y) => x + y],
  ['sub', sub, (x, y) => x - y],
  ['mul', mul, (x, y) => x * y],
  ['div', div, (x, y) => x / y],
  ['pow', pow, (x, y) => x ** y],
  ['maximum', maximum, Math.max],
  ['minimum', minimum, Math.min],
  ['greater', greater, (x, y) => (x > y ? 1 : 0)],
  ['greaterEqual', greaterEqual, (x, y) => (x >= y ? 1 : 0)],
  ['less', less, (x, y) => (x < y ? 1 : 0)],
  ['lessEqual', lessEqual, (x, y) => (x <= y ? 1 : 0)],
  ['equal', equal, (x, y) => (x === y ? 1 : 0)],
  ['notEqual', notEqual, (x, y) => (x !== y ? 1 : 0)],
];

const UNARY: [string, (a: Tensor) => Tensor, (x: number) => number][] = [
  ['neg', neg, (x) => -x],
  ['exp', exp, Math.exp],
  ['log', log, Math.log],
  ['sqrt', sqrt, Math.sqrt],
  ['abs', abs, Math.abs],
  ['square', square, (x) => x * x],
];

/** Two or three broadcastable shapes: one base shape, random dims set to 1, leading axes dropped. */
const shapes = (count: number) =>
  fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 4 }).chain((base) =>
    fc.array(
      fc
        .tuple(
          fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
          fc.nat({ max: base.length }),
        )
        .map(([ones, drop]) => base.map((d, i) => (ones[i] ? 1 : d)).slice(drop)),
      { minLength: count, maxLength: count },
    ),
  );

/** Values with special ones sprinkled in, from a seed. */
function filled(shape: number[], seed: number, dtype: DType): Tensor {
  const values = Array.from({ length: shapeSize(shape) }, (_, i) => {
    const k = Math.abs(Math.imul(seed + i, 2654435761)) % 23;
    return k < SPECIAL.length ? SPECIAL[k] : Math.sin(seed + i * 1.7) * 3;
  });
  return tensor(values, shape, dtype);
}

function expectSameBits(got: Tensor, want: Tensor, label: string): void {
  expect(got.shape, label).toEqual(want.shape);
  expect(got.dtype, label).toBe(want.dtype);
  const differing: number[] = [];
  for (let i = 0; i < got.size; i++) if (!Object.is(got.data[i], want.data[i])) differing.push(i);
  expect(differing, label).toEqual([]);
}

describe('compiled elementwise loops', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: every binary op gives its reference's bits on random broadcast shapes`, () => {
      fc.assert(
        fc.property(shapes(2), fc.integer({ min: 0, max: 1000 }), ([a, b], seed) => {
          const x = filled(a, seed, dtype);
          const y = filled(b, seed + 7, dtype);
          for (const [name, op, fn] of BINARY) {
            expectSameBits(op(x, y), binary(name, x, y, fn), `${name} ${a} ${b}`);
            expectSameBits(op(x, 0.1), binary(name, x, 0.1, fn), `${name} ${a} scalar`);
            expectSameBits(op(-0.5, y), binary(name, -0.5, y, fn), `${name} scalar ${b}`);
          }
        }),
        { numRuns: 120 },
      );
    });

    it(`${dtype}: every unary op and where give their reference's bits`, () => {
      fc.assert(
        fc.property(shapes(3), fc.integer({ min: 0, max: 1000 }), ([c, a, b], seed) => {
          const x = filled(a, seed, dtype);
          for (const [name, op, fn] of UNARY) {
            expectSameBits(op(x), unary(name, x, fn), `${name} ${a}`);
          }
          const mask = filled(c, seed + 3, dtype);
          const y = filled(b, seed + 5, dtype);
          expectSameBits(where(mask, x, y), whereReference(mask, x, y), `where ${c} ${a} ${b}`);
          expectSameBits(where(mask, x, 0), whereReference(mask, x, 0), `where ${c} ${a} 0`);
        }),
        { numRuns: 120 },
      );
    });
  }

  it('runs the broadcasts a net uses as one loop: bias rows, per-sample columns, scalars', () => {
    expect(planLoop([200, 100], [[200, 100], [100]])).toEqual({
      rows: 200,
      cols: 100,
      patterns: ['full', 'row'],
    });
    expect(
      planLoop(
        [200, 10],
        [
          [200, 10],
          [200, 1],
        ],
      ),
    ).toEqual({
      rows: 200,
      cols: 10,
      patterns: ['full', 'column'],
    });
    expect(planLoop([200, 100], [[200, 100], [200, 100], []])).toEqual({
      rows: 1,
      cols: 20000,
      patterns: ['full', 'full', 'scalar'],
    });
    expect(
      planLoop(
        [4, 3, 5],
        [
          [4, 1, 1],
          [3, 5],
        ],
      ),
    ).toEqual({
      rows: 4,
      cols: 15,
      patterns: ['column', 'row'],
    });
    expect(planLoop([4, 3], [[4, 1], [3]])).toEqual({ rows: 4, cols: 3, patterns: ['column', 'row'] });
  });

  it('leaves other broadcasts to the strided reference walk', () => {
    expect(
      planLoop(
        [4, 3, 5],
        [
          [4, 1, 5],
          [4, 3, 5],
        ],
      ),
    ).toBeNull();
    expect(
      planLoop(
        [4, 3, 5],
        [
          [3, 1],
          [4, 3, 5],
        ],
      ),
    ).toBeNull();
  });
});
