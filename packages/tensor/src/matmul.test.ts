import { describe, expect, it } from 'vitest';
import { naiveBackend, setBackend } from './backend.js';
import { randn, tensor, zeros } from './create.js';
import { matmulNaive } from './kernels/matmul-naive.js';
import { matmul } from './matmul.js';
import { transpose } from './movement.js';
import { createRng } from './rng.js';
import { ShapeError } from './shape.js';

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1e-8, Math.abs(a[i]) + Math.abs(b[i])));
  }
  return worst;
}

// Every kernel (blocked TypeScript, wasm 1 and 2 threads) is compared with matmulNaive on random, odd and
// training shapes in kernels/kernels.test.ts; this file tests the op: validation, options, dispatch.
describe('matmul op', () => {
  it('multiplies 2-d tensors and honours transA/transB without a transposed input', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    const want = [
      [58, 64],
      [139, 154],
    ];
    expect(matmul(a, b).toArray()).toEqual(want);
    expect(matmul(transpose(a), b, { transA: true }).toArray()).toEqual(want);
    expect(matmul(a, transpose(b), { transB: true }).toArray()).toEqual(want);
  });

  it('gives the same numbers with the naive backend swapped in', () => {
    const rng = createRng(5);
    const a = randn([9, 14], rng);
    const b = randn([14, 6], rng);
    const fast = matmul(a, b);
    const previous = setBackend(naiveBackend);
    try {
      expect(maxRelDiff(matmul(a, b).data, fast.data)).toBeLessThan(1e-13);
    } finally {
      setBackend(previous);
    }
  });

  it('works in float32', () => {
    const rng = createRng(6);
    const a = randn([5, 8], rng, 'float32');
    const b = randn([8, 3], rng, 'float32');
    const out = matmul(a, b);
    expect(out.dtype).toBe('float32');
    const want = new Float64Array(15);
    matmulNaive(a.data, b.data, want, 5, 3, 8, false, false);
    expect(maxRelDiff(out.data, want)).toBeLessThan(1e-5);
  });

  it('names the op, the arguments and the shapes on a mismatch', () => {
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow(ShapeError);
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow(
      'matmul: inner dimensions differ: a [2,3] vs b [4,5]',
    );
    expect(() => matmul(zeros([2, 3]), zeros([2, 5]), { transB: true })).toThrow(
      'matmul: inner dimensions differ: a [2,3] vs bᵀ [2,5] (3 vs 5)',
    );
    expect(() => matmul(zeros([3]), zeros([3, 1]))).toThrow('matmul: a must be 2-d, got shape [3]');
    expect(() => matmul(zeros([1, 3]), zeros([3, 1], 'float32'))).toThrow(
      'matmul: dtypes differ: a is float64, b is float32',
    );
    expect(() => matmul(zeros([1, 3]), zeros([3, 1]), { transC: true } as never)).toThrow(
      "matmul: unknown option 'transC'",
    );
  });
});
