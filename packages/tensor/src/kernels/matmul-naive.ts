import type { TypedArray } from '../dtype.js';

/**
 * Reference kernel: out[M, N] = op(A) · op(B), the textbook triple loop.
 * op(A) is A [M, K], or Aᵀ when A is stored [K, M] (transA); op(B) is B [K, N], or Bᵀ when B is stored
 * [N, K] (transB). Kept as the algorithmic reference every fast kernel is tested against.
 */
export function matmulNaive(
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i] : a[i * k + p];
        const bpj = transB ? b[j * k + p] : b[p * n + j];
        s += aip * bpj;
      }
      out[i * n + j] = s;
    }
  }
}
