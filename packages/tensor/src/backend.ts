import { nativeAvailable, nativeBackend, nativeUnavailableReason } from '#native-backend';
import { allocate, type DType, type TypedArray } from './dtype.js';
import { matmulBlocked } from './kernels/matmul-blocked.js';
import { matmulNaive } from './kernels/matmul-naive.js';
import type { Backend } from './kernels/types.js';
import { wasmAvailable, wasmBackend } from './kernels/wasm/wasm-backend.js';

export type {
  Backend,
  ElementwiseKernels,
  MatmulKernel,
  MatmulPairKernel,
  MatmulProblem,
  MomentStepArgs,
  MomentStepKernel,
  Pattern,
  ReduceKernel,
} from './kernels/types.js';

export const typescriptBackend: Backend = { name: 'typescript', matmul: matmulBlocked };
export const naiveBackend: Backend = { name: 'naive', matmul: matmulNaive };

/** Values of the BACKPROP_LAB_BACKEND environment variable. */
export const BACKEND_NAMES = ['native', 'wasm', 'typescript', 'naive'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * The fastest backend this runtime can run: the native kernels (@backprop-lab/tensor-native, built at
 * install where a C compiler is present), else WebAssembly SIMD on up to two threads, else the TypeScript
 * blocked kernel. All three give the same float64 results bit for bit. float32 is not held to the same
 * bits across backends: the native and wasm kernels accumulate in float32 (the native one with fused
 * multiply-adds on AVX2 and AVX-512), the TypeScript one in float64, so they differ in the last bits.
 */
export function fastestBackend(): Backend {
  if (nativeAvailable()) return nativeBackend();
  return wasmAvailable() ? wasmBackend() : typescriptBackend;
}

/** The backend a BACKPROP_LAB_BACKEND value names; unset or empty means the fastest available. */
export function backendFromEnv(value: string | undefined): Backend {
  if (value === undefined || value === '') {
    // An addon the user named that does not load is a mistake to report, not a reason to fall back.
    const reason = nativeUnavailableReason();
    if (reason?.startsWith('BACKPROP_LAB_NATIVE_ADDON=')) throw new Error(reason);
    return fastestBackend();
  }
  if (value === 'typescript') return typescriptBackend;
  if (value === 'naive') return naiveBackend;
  if (value === 'native') {
    const reason = nativeUnavailableReason();
    if (reason !== null) throw new Error(`BACKPROP_LAB_BACKEND=native, but the native kernels are ${reason}`);
    return nativeBackend();
  }
  if (value === 'wasm') {
    if (!wasmAvailable()) {
      throw new Error('BACKPROP_LAB_BACKEND=wasm, but this runtime has no WebAssembly SIMD');
    }
    return wasmBackend();
  }
  throw new Error(`BACKPROP_LAB_BACKEND: unknown backend '${value}' (expected ${BACKEND_NAMES.join(', ')})`);
}

// Chosen at the first op, not at import: a wrong BACKPROP_LAB_BACKEND then throws where a program's own
// error handling can print it as one line, instead of as a stack trace from the module loader.
// globalThis.process: a browser has no process; there the fastest backend is chosen by default.
let current: Backend | undefined;

/** The backend ops use now. */
export function getBackend(): Backend {
  current ??= backendFromEnv(globalThis.process?.env.BACKPROP_LAB_BACKEND);
  return current;
}

/** Swaps the kernels under every op (e.g. a WASM SIMD backend); returns the previous one. */
export function setBackend(backend: Backend): Backend {
  const previous = getBackend();
  current = backend;
  return previous;
}

/**
 * An array for an op's output that the op overwrites whole (every element, on every path): the backend's
 * uninitialized one where it has one, else a zeroed one. Only such ops may call this: an element left
 * unwritten would hold whatever the memory held before, and results would no longer follow the seed.
 */
export function allocateOutput(dtype: DType, size: number): TypedArray {
  return getBackend().allocateOutput?.(dtype, size) ?? allocate(dtype, size);
}
