/**
 * out[M, N] = op(a) · op(b) written into a buffer the caller owns: the kernel `matmul()` dispatches to
 * (the current backend's), minus the fresh [M, N] array it allocates. Same kernel, same arguments, so
 * the same bits as `matmul(a, b, { transA, transB })`.
 *   a [M, K] ([K, M] when transA), b [K, N] ([N, K] when transB), out [M, N], all one dtype.
 */
import { getBackend, type TypedArray } from '@backprop-lab/tensor';

export function matmulInto(
  out: TypedArray,
  a: TypedArray,
  b: TypedArray,
  m: number,
  n: number,
  k: number,
  transA = false,
  transB = false,
): void {
  // Callers are this package's fused kernels, which size every buffer themselves: a mismatch is a bug
  // here, not a user error, but a kernel reading past an array would fail silently, so check anyway.
  if (out.length !== m * n || a.length !== m * k || b.length !== k * n) {
    throw new RangeError(
      `matmulInto: buffers of ${a.length}, ${b.length} → ${out.length} elements do not fit M=${m}, N=${n}, K=${k}`,
    );
  }
  if (a.constructor !== out.constructor || b.constructor !== out.constructor) {
    throw new TypeError(
      `matmulInto: a, b and out must share one dtype, got ${a.constructor.name}, ${b.constructor.name}, ${out.constructor.name}`,
    );
  }
  getBackend().matmul(a, b, out, m, n, k, transA, transB);
}
