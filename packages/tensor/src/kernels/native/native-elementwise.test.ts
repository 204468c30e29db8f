// The native elementwise kernels against the JavaScript loops (typescriptBackend) and the per-element
// reference: the same bits (Object.is: −0 and NaN count) in both dtypes, for every pattern the loops take
// (full, scalar, row, column), with NaN, ±0, ±∞, subnormals and values that overflow float32. A NaN's
// sign and payload are not compared: with two NaN operands x86 returns the first, and both V8 and the C
// compiler may swap the operands of a commutative + or ×, so JavaScript itself does not fix them.
import { loadNative } from '@backprop-lab/tensor-native';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend, typescriptBackend } from '../../backend.js';
import { tensor } from '../../create.js';
import type { DType } from '../../dtype.js';
import {
  abs,
  add,
  binary,
  div,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  type Operand,
  sqrt,
  square,
  sub,
  where,
  whereReference,
} from '../../elementwise.js';
import type { Tensor } from '../../tensor.js';
import type { Backend } from '../types.js';
import { nativeBackend } from './native-backend.js';

const SPECIAL = [Number.NaN, -Number.NaN, Infinity, -Infinity, 0, -0, 5e-324, -2.5e-308, 1e-40, -1.4e-45];
const SPECIAL_MORE = [3.4e38, -1e39, 1e308, 1, -1, 0.5, 2];

const BINARY: Record<string, (a: Operand, b: Operand) => Tensor> = {
  add,
  sub,
  mul,
  div,
  maximum,
  minimum,
  greater,
  greaterEqual,
  less,
  lessEqual,
  equal,
  notEqual,
};
const UNARY: Record<string, (a: Tensor) => Tensor> = { neg, square, sqrt, abs };

type Pattern = 'full' | 'scalar' | 'row' | 'column';
const PATTERNS: Pattern[] = ['full', 'scalar', 'row', 'column'];
const SHAPE: Record<Pattern, (rows: number, cols: number) => number[]> = {
  full: (rows, cols) => [rows, cols],
  scalar: () => [],
  row: (_, cols) => [cols],
  column: (rows) => [rows, 1],
};

const value = fc.oneof(
  fc.constantFrom(...SPECIAL, ...SPECIAL_MORE),
  fc.double(),
  fc.double({ min: -4, max: 4, noNaN: true }),
);
const values = (length: number) => fc.array(value, { minLength: length, maxLength: length });

/** An operand of `pattern` against a [rows, cols] output, with values drawn by fast-check. */
const operand = (pattern: Pattern, rows: number, cols: number) => {
  const shape = SHAPE[pattern](rows, cols);
  return values(shape.reduce((a, b) => a * b, 1)).map((v) => ({ v, shape }));
};

const native = (threads: number) => nativeBackend({ threads, elementwiseMin: 0 });

let previous: Backend | undefined;
afterEach(() => {
  if (previous) setBackend(previous);
  previous = undefined;
});

/** fn's result on `backend`. */
function on<T>(backend: Backend, fn: () => T): T {
  const before = setBackend(backend);
  previous ??= before;
  try {
    return fn();
  } finally {
    setBackend(before);
  }
}

function expectSameBits(got: Tensor, want: Tensor, label: string): void {
  expect(got.shape, label).toEqual(want.shape);
  expect(got.dtype, label).toBe(want.dtype);
  const differing: number[] = [];
  for (let i = 0; i < got.size; i++) if (!Object.is(got.data[i], want.data[i])) differing.push(i);
  expect(differing, label).toEqual([]);
}

describe.each(['float64', 'float32'] as DType[])('native elementwise, %s', (dtype) => {
  const dims = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 }));
  const patterns = (count: number) =>
    fc.array(fc.constantFrom(...PATTERNS), { minLength: count, maxLength: count });

  it('binary ops give the bytes of the JavaScript loops and of the reference, every pattern', () => {
    fc.assert(
      fc.property(
        dims.chain(([rows, cols]) =>
          patterns(2).chain(([px, py]) => fc.tuple(operand(px, rows, cols), operand(py, rows, cols))),
        ),
        fc.constantFrom(1, 2),
        ([x, y], threads) => {
          const a = tensor(x.v, x.shape, dtype);
          const b = tensor(y.v, y.shape, dtype);
          for (const [name, op] of Object.entries(BINARY)) {
            const got = on(native(threads), () => op(a, b));
            const want = on(typescriptBackend, () => op(a, b));
            expectSameBits(got, want, `${name} ${x.shape} ${y.shape}`);
            const reference = binary(name, a, b, (p, q) => op(p, q).data[0]);
            expectSameBits(got, reference, `${name} reference`);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('unary ops give the bytes of the JavaScript loops', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }).chain((n) => values(n)),
        (v) => {
          const a = tensor(v, [v.length], dtype);
          for (const [name, op] of Object.entries(UNARY)) {
            const got = on(native(1), () => op(a));
            expectSameBits(
              got,
              on(typescriptBackend, () => op(a)),
              name,
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('where gives the bytes of the JavaScript loop, every pattern of condition, a and b', () => {
    fc.assert(
      fc.property(
        dims.chain(([rows, cols]) =>
          patterns(3).chain(([pc, pa, pb]) =>
            fc.tuple(operand(pc, rows, cols), operand(pa, rows, cols), operand(pb, rows, cols)),
          ),
        ),
        ([c, x, y]) => {
          const m = tensor(c.v, c.shape, dtype);
          const a = tensor(x.v, x.shape, dtype);
          const b = tensor(y.v, y.shape, dtype);
          const got = on(native(1), () => where(m, a, b));
          expectSameBits(
            got,
            on(typescriptBackend, () => where(m, a, b)),
            'where',
          );
          expectSameBits(got, whereReference(m, a, b), 'whereReference');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('splits an op over threads at a point inside a row and gives the same bits', () => {
    // Split from 0 elements on, over 2 threads; parts start on 16-element boundaries, mid-row.
    const backend = native(2);
    const addon = loadNative();
    if (!addon.available) throw new Error(addon.reason);
    const threads = addon.kernels.setThreads(2);
    const parallelMin = addon.kernels.setElementwiseParallelMin(0);
    const rows = 301;
    const cols = 257;
    const fill = (n: number, seed: number) =>
      Array.from({ length: n }, (_, i) =>
        i % 11 === 0 ? SPECIAL[(i + seed) % SPECIAL.length] : Math.sin(i * seed),
      );
    const x = tensor(fill(rows * cols, 3), [rows, cols], dtype);
    const bias = tensor(fill(cols, 5), [cols], dtype);
    const column = tensor(fill(rows, 7), [rows, 1], dtype);
    for (const run of [
      () => maximum(x, bias),
      () => sub(column, x),
      () => where(x, column, bias),
      () => sqrt(x),
    ]) {
      expectSameBits(on(backend, run), on(typescriptBackend, run), run.toString());
    }
    addon.kernels.setThreads(threads);
    addon.kernels.setElementwiseParallelMin(parallelMin);
  });
});

it('rejects a wrong elementwiseMin with a message naming it', () => {
  expect(() => nativeBackend({ elementwiseMin: -1 })).toThrow(
    'nativeBackend: elementwiseMin must be a number ≥ 0, got -1',
  );
  expect(() => nativeBackend({ elementwiseMinimum: 5 } as never)).toThrow(
    "nativeBackend: unknown option 'elementwiseMinimum' (options: threads, parallelMin, elementwiseMin)",
  );
});

it('leaves small arrays and ops it lacks to the JavaScript loops', () => {
  const kernels = nativeBackend({ threads: 1 }).elementwise;
  const small = new Float64Array(8);
  expect(kernels?.binary('add', small, 1, 8, ['full', 'full'], small, small)).toBe(false);
  const large = new Float64Array(4096);
  expect(kernels?.binary('pow', large, 1, 4096, ['full', 'full'], large, large)).toBe(false);
  expect(kernels?.unary('exp', large, large)).toBe(false);
  expect(kernels?.binary('add', large, 1, 4096, ['full', 'full'], large, large)).toBe(true);
});
