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
  check(out, a, b, m, n, k);
  getBackend().matmul(a, b, out, m, n, k, transA, transB);
}

function check(out: TypedArray, a: TypedArray, b: TypedArray, m: number, n: number, k: number): void {
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
}

/** One matmulInto call's arguments: out = op(a) · op(b), a [M, K] or [K, M], b [K, N] or [N, K]. */
export interface MatmulIntoArgs {
  out: TypedArray;
  a: TypedArray;
  b: TypedArray;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

/**
 * Two independent products (neither reads the other's out), each with the bits matmulInto gives it. A
 * backend with threads (wasm) runs them at once, one per thread, where each alone is too small to be
 * split; otherwise they run one after the other, as two matmulInto calls.
 */
export function matmulPairInto(first: MatmulIntoArgs, second: MatmulIntoArgs): void {
  const backend = getBackend();
  if (!backend.matmulPair) {
    for (const p of [first, second]) matmulInto(p.out, p.a, p.b, p.m, p.n, p.k, p.transA, p.transB);
    return;
  }
  for (const p of [first, second]) check(p.out, p.a, p.b, p.m, p.n, p.k);
  backend.matmulPair(first, second);
}

/**
 * fn with `array` kept resident in the backend's memory (wasm: copied in once instead of once per
 * product that reads it as A). fn must not write `array` (see Backend.withResident).
 */
export function withResident<T>(array: TypedArray, fn: () => T): T {
  const backend = getBackend();
  return backend.withResident ? backend.withResident(array, fn) : fn();
}
