import { Buffer } from 'node:buffer';
import { availableParallelism } from 'node:os';
import { loadNative, type NativeKernels } from '@backprop-lab/tensor-native';
import type { DType, TypedArray } from '../../dtype.js';
import type { Backend, MatmulProblem } from '../types.js';
import { nativeElementwise, nativeReduce } from './native-elementwise.js';

export interface NativeBackendOptions {
  /** Threads that share one large product, the calling thread included. Default: min(8, cores). */
  threads?: number;
  /** Products of fewer multiply-adds (M·N·K) than this run on the calling thread alone. */
  parallelMin?: number;
  /** Elementwise ops on fewer output elements than this loop in JavaScript (the call costs more there). */
  elementwiseMin?: number;
}

/**
 * Below this many output elements an elementwise op stays in JavaScript. Measured (float32, min of 200,
 * 2 loaded cores) the native call was never slower: add of 16 elements 0.85 µs against 1.9, where 1.27
 * against 1.28; of 4096, 3.1 against 10.1. Only arrays of a few elements stay in JavaScript.
 */
export const NATIVE_ELEMENTWISE_MIN = 16;

/**
 * Below this many multiply-adds a product stays on the calling thread. Helpers spin ~20 µs after each
 * job before sleeping, so a wake-up inside a training step costs ~1 µs; measured on 2 cores,
 * [200, 100]·[100, 100] (2 M multiply-adds) ran 2× faster split, 64³ (0.26 M) at par.
 */
export const NATIVE_PARALLEL_MIN = 2 ** 18;

/**
 * Outputs of at least this many bytes are allocated uninitialized (allocateOutput). A zeroed typed array
 * is calloc'ed: memory the allocator reuses is memset first, which profiling a training step of workload W
 * found costing 8 to 16 % of it (a 4.9 MB dx, several 2.4 MB weight-sized arrays per step). Smaller
 * arrays V8 allocates faster itself.
 */
export const NATIVE_UNINITIALIZED_MIN_BYTES = 2 ** 14;

/** An uninitialized Float64Array or Float32Array of `size` elements, or undefined below the threshold. */
function allocateOutput(dtype: DType, size: number): TypedArray | undefined {
  const bytes = size * (dtype === 'float32' ? 4 : 8);
  if (bytes < NATIVE_UNINITIALIZED_MIN_BYTES) return undefined;
  // allocUnsafeSlow: a buffer of its own (not a slice of Node's pool), so offset 0 and freed with the array.
  const { buffer } = Buffer.allocUnsafeSlow(bytes);
  return dtype === 'float32' ? new Float32Array(buffer, 0, size) : new Float64Array(buffer, 0, size);
}

/** Whether the native kernels of @backprop-lab/tensor-native were built and load in this process. */
export function nativeAvailable(): boolean {
  return loadNative().available;
}

/** Why the native kernels are not available (null when they are). */
export function nativeUnavailableReason(): string | null {
  const status = loadNative();
  return status.available ? null : status.reason;
}

/**
 * A backend on the native kernels (C with AVX-512 or AVX2 vectors, chosen at load by what the CPU has,
 * and a thread pool): products read and write the tensors' own arrays, nothing is copied. Float64 results
 * equal matmulBlocked's and the wasm kernel's bit for bit (same 256-deep blocks, same order, no fused
 * multiply-add). Float32 products on AVX2 and AVX-512 fuse each multiply-add in that order, so they equal
 * the wasm kernel's within rounding, not bit for bit. Results do not depend on `threads`. Throws where
 * the addon is unavailable.
 */
export function nativeBackend(options: NativeBackendOptions = {}): Backend {
  for (const key of Object.keys(options)) {
    if (key !== 'threads' && key !== 'parallelMin' && key !== 'elementwiseMin') {
      throw new TypeError(
        `nativeBackend: unknown option '${key}' (options: threads, parallelMin, elementwiseMin)`,
      );
    }
  }
  const status = loadNative();
  if (!status.available)
    throw new Error(`nativeBackend: the native kernels are unavailable: ${status.reason}`);
  const kernels: NativeKernels = status.kernels;
  const threads = options.threads ?? Math.min(8, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1 || threads > 16) {
    throw new RangeError(`nativeBackend: threads must be an integer in 1…16, got ${threads}`);
  }
  const parallelMin = options.parallelMin ?? NATIVE_PARALLEL_MIN;
  if (!Number.isFinite(parallelMin) || parallelMin < 0) {
    throw new RangeError(`nativeBackend: parallelMin must be a number ≥ 0, got ${parallelMin}`);
  }
  const min = Math.floor(parallelMin);
  const elementwiseMin = options.elementwiseMin ?? NATIVE_ELEMENTWISE_MIN;
  if (!Number.isFinite(elementwiseMin) || elementwiseMin < 0) {
    throw new RangeError(`nativeBackend: elementwiseMin must be a number ≥ 0, got ${elementwiseMin}`);
  }
  // The pool's settings are the process's, shared with other backends and other Node workers: each call
  // checks them (two cheap reads) rather than trusting what this module last set.
  const apply = () => {
    if (kernels.threads() !== threads) kernels.setThreads(threads);
    kernels.setParallelMin(min);
  };
  const pair = (first: MatmulProblem, second: MatmulProblem) => {
    apply();
    kernels.gemmPair(
      first.a,
      first.b,
      first.out,
      first.m,
      first.n,
      first.k,
      first.transA,
      first.transB,
      second.a,
      second.b,
      second.out,
      second.m,
      second.n,
      second.k,
      second.transA,
      second.transB,
    );
  };
  return {
    name: `native-${kernels.kernel}-${threads}t`,
    matmul(a: TypedArray, b: TypedArray, out: TypedArray, m, n, k, transA, transB) {
      apply();
      kernels.gemm(a, b, out, m, n, k, transA, transB);
    },
    matmulPair: pair,
    elementwise: nativeElementwise(kernels, elementwiseMin, threads),
    reduce: nativeReduce(kernels, elementwiseMin),
    allocateOutput,
    addScaled(target, x, alpha) {
      kernels.addScaled(target, x, alpha);
      return true;
    },
    vdot: (a, b) => kernels.vdot(a, b),
    momentStep(w, g, m, v, args) {
      apply();
      const { rate, decay1, decay2, epsilon, correction1, correction2 } = args;
      kernels.momentStep(w, g, m, v, rate, decay1, decay2, epsilon, correction1, correction2);
      return true;
    },
  };
}
