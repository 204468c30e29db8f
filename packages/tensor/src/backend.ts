import type { TypedArray } from './dtype.js';
import { matmulBlocked } from './kernels/matmul-blocked.js';
import { matmulNaive } from './kernels/matmul-naive.js';
import { wasmAvailable, wasmBackend } from './kernels/wasm/wasm-backend.js';

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

/** Values of the BACKPROP_LAB_BACKEND environment variable. */
export const BACKEND_NAMES = ['wasm', 'typescript', 'naive'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * The fastest backend this runtime can run: WebAssembly SIMD on up to two threads where available,
 * else the TypeScript blocked kernel. Both give the same float64 results bit for bit; in float32 the
 * wasm kernel accumulates in float32 (the TypeScript one in float64), so results differ in the last bits.
 */
export function fastestBackend(): Backend {
  return wasmAvailable() ? wasmBackend() : typescriptBackend;
}

/** The backend a BACKPROP_LAB_BACKEND value names; unset or empty means the fastest available. */
export function backendFromEnv(value: string | undefined): Backend {
  if (value === undefined || value === '') return fastestBackend();
  if (value === 'typescript') return typescriptBackend;
  if (value === 'naive') return naiveBackend;
  if (value === 'wasm') {
    if (!wasmAvailable()) {
      throw new Error('BACKPROP_LAB_BACKEND=wasm, but this runtime has no WebAssembly SIMD');
    }
    return wasmBackend();
  }
  throw new Error(`BACKPROP_LAB_BACKEND: unknown backend '${value}' (expected ${BACKEND_NAMES.join(', ')})`);
}

let current: Backend = backendFromEnv(process.env.BACKPROP_LAB_BACKEND);

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
