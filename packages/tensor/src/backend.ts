import type { TypedArray } from './dtype.js';
import { matmulBlocked } from './kernels/matmul-blocked.js';
import { matmulNaive } from './kernels/matmul-naive.js';

/**
 * out[M, N] = op(A) · op(B): A is [M, K] ([K, M] when transA), B is [K, N] ([N, K] when transB).
 * Kernels overwrite `out` and never allocate a transposed copy.
 */
export type MatmulKernel = (
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
) => void;

/** The kernels ops dispatch to. Ops validate; a backend only loops over typed arrays. */
export interface Backend {
  readonly name: string;
  readonly matmul: MatmulKernel;
}

export const typescriptBackend: Backend = { name: 'typescript', matmul: matmulBlocked };
export const naiveBackend: Backend = { name: 'naive', matmul: matmulNaive };

let current: Backend = typescriptBackend;

/** The backend ops use now. */
export function getBackend(): Backend {
  return current;
}

/** Swaps the kernels under every op (e.g. a WASM SIMD backend); returns the previous one. */
export function setBackend(backend: Backend): Backend {
  const previous = current;
  current = backend;
  return previous;
}
