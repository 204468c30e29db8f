// Ops on a backend with allocateOutput receive arrays they must overwrite whole. Here every such array
// arrives filled with NaN: any element an op left unwritten would show as a NaN, or as a difference from
// the same op on zeroed outputs.
import { afterEach, describe, expect, it } from 'vitest';
import { allocateOutput, type Backend, getBackend, setBackend } from './backend.js';
import { randn } from './create.js';
import { allocate, type DType } from './dtype.js';
import { add, greater, maximum, mul, neg, sqrt, sub, where } from './elementwise.js';
import { NATIVE_UNINITIALIZED_MIN_BYTES, nativeBackend } from './kernels/native/native-backend.js';
import { firstDifference } from './kernels/testing/products.js';
import { matmul } from './matmul.js';
import { argmax, max, mean, sum, variance } from './reduce.js';
import { createRng } from './rng.js';
import type { Tensor } from './tensor.js';

const initial = getBackend();
afterEach(() => setBackend(initial));

/** The native backend, its outputs zeroed (no allocateOutput) or NaN-filled. */
function backends(): { zeroed: Backend; dirty: Backend } {
  const native = nativeBackend({ threads: 2, parallelMin: 0 });
  return {
    zeroed: { ...native, allocateOutput: undefined },
    dirty: { ...native, allocateOutput: (dtype, size) => allocate(dtype, size).fill(Number.NaN) },
  };
}

/** Each op the net's layers call, on [rows, cols] operands, with every broadcast pattern and reduction. */
function ops(rows: number, cols: number, dtype: DType): Record<string, () => Tensor> {
  const rng = createRng(rows * 1000 + cols);
  const x = randn([rows, cols], rng, dtype);
  const y = randn([rows, cols], rng, dtype);
  const row = randn([cols], rng, dtype);
  const column = randn([rows, 1], rng, dtype);
  const w = randn([cols, 7], rng, dtype);
  return {
    'matmul x·w': () => matmul(x, w),
    'matmul xᵀ·y': () => matmul(x, y, { transA: true }),
    'matmul with k = 0': () => matmul(randn([rows, 0], rng, dtype), randn([0, cols], rng, dtype)),
    'add full': () => add(x, y),
    'add row': () => add(x, row),
    'sub column': () => sub(x, column),
    'mul scalar': () => mul(x, 0.5),
    maximum: () => maximum(x, 0),
    neg: () => neg(x),
    sqrt: () => sqrt(mul(x, x)),
    where: () => where(greater(x, 0), y, 0),
    'sum all': () => sum(x),
    'sum axis 0': () => sum(x, 0),
    'mean axis 1': () => mean(x, { axis: 1, keepDims: true }),
    'variance axis 0': () => variance(x, 0),
    'max axis 1': () => max(x, 1),
    'argmax axis 1': () => argmax(x, 1),
  };
}

describe('allocateOutput: ops overwrite every element of the arrays it gives', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: the same bits with NaN-filled outputs as with zeroed ones, small and large`, () => {
      const { zeroed, dirty } = backends();
      // [3, 5] stays below every native threshold (JavaScript loops); [300, 200] is above all of them.
      for (const [rows, cols] of [
        [3, 5],
        [300, 200],
      ]) {
        for (const [name, op] of Object.entries(ops(rows, cols, dtype))) {
          setBackend(zeroed);
          const want = op();
          setBackend(dirty);
          const got = op();
          expect(firstDifference(got.data, want.data), `${name} on [${rows}, ${cols}]`).toBe(-1);
        }
      }
    });
  }
});

describe('the native backend allocates large outputs uninitialized', () => {
  it('gives an array of the dtype and size from the threshold on, and leaves smaller ones to the op', () => {
    setBackend(nativeBackend());
    const large = NATIVE_UNINITIALIZED_MIN_BYTES / 4;
    const out = getBackend().allocateOutput?.('float32', large);
    expect(out).toBeInstanceOf(Float32Array);
    expect(out?.length).toBe(large);
    expect(getBackend().allocateOutput?.('float64', large / 2 - 1)).toBeUndefined();
    // The op-side helper falls back to a zeroed array.
    expect(allocateOutput('float64', 3)).toEqual(new Float64Array(3));
  });
});
