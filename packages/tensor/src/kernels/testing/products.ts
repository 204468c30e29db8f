// Test support shared by the backends' test files (not built into dist: tsconfig.build.json excludes
// src/**/testing/). Seeded operands for out[m, n] = op(A)·op(B) and bit-level comparison.

import { randn } from '../../create.js';
import type { DType, TypedArray } from '../../dtype.js';
import { createRng } from '../../rng.js';
import type { MatmulKernel } from '../types.js';

/** A [m, k] ([k, m] when transA) and B [k, n] ([n, k] when transB) of standard normals from `seed`. */
export function operands(
  dims: [number, number, number],
  transA: boolean,
  transB: boolean,
  dtype: DType,
  seed: number,
): { a: TypedArray; b: TypedArray } {
  const [m, n, k] = dims;
  const rng = createRng(seed);
  const a = randn(transA ? [k, m] : [m, k], rng, dtype).data;
  const b = randn(transB ? [n, k] : [k, n], rng, dtype).data;
  return { a, b };
}

/** run's product of operands(dims, …, seed), into a NaN-filled output (a kernel must overwrite it). */
export function product(
  run: MatmulKernel,
  dims: [number, number, number],
  transA: boolean,
  transB: boolean,
  dtype: DType,
  seed: number,
): TypedArray {
  const [m, n, k] = dims;
  const { a, b } = operands(dims, transA, transB, dtype, seed);
  const out = dtype === 'float32' ? new Float32Array(m * n) : new Float64Array(m * n);
  out.fill(Number.NaN);
  run(a, b, out, m, n, k, transA, transB);
  return out;
}

/** The first index where x and y differ in bits (Object.is: −0 ≠ +0, NaN = NaN), or −1. */
export function firstDifference(x: TypedArray, y: TypedArray): number {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

/** Bit-level equality. */
export function sameBits(x: TypedArray, y: TypedArray): boolean {
  return firstDifference(x, y) === -1;
}

/**
 * max |got − want| / max |want| (elementwise relative error blows up on sums that cancel to ~0); a NaN
 * anywhere gives +∞.
 */
export function normwiseError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  if (Number.isNaN(worst)) return Number.POSITIVE_INFINITY;
  return scale === 0 ? worst : worst / scale;
}
