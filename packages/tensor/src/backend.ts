import { nativeAvailable, nativeBackend, nativeUnavailableReason } from '#native-backend';
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

/** One product for MatmulPairKernel: out[m, n] = op(a) · op(b), as MatmulKernel's arguments. */
export interface MatmulProblem {
  a: TypedArray;
  b: TypedArray;
  out: TypedArray;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

/**
 * Two independent products (neither reads the other's `out`), each with the bits `matmul` gives it:
 * a backend with threads may run them at once, one per thread, where each alone is too small to split.
 */
export type MatmulPairKernel = (first: MatmulProblem, second: MatmulProblem) => void;

/** Adam's settings for one update, with the bias corrections as 1/(1−β1ᵗ) and 1/(1−β2ᵗ). */
export interface AdamKernelArgs {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  inverseCorrection1: number;
  inverseCorrection2: number;
}

/**
 * Adam's update of w, m and v in place from dw (all one dtype and length), with exactly the operations
 * and order of packages/optim's readable loop, so the same bits. Returns false when it declines (that
 * dtype is faster in JavaScript here), and the caller runs its own loop.
 */
export type AdamKernel = (
  w: TypedArray,
  dw: TypedArray,
  m: TypedArray,
  v: TypedArray,
  args: AdamKernelArgs,
) => boolean;

/**
 * Loops of @backprop-lab/layers' fused fully connected net that a backend may run natively. Each has the
 * arithmetic, order and dtype stores of the JavaScript it replaces (named below), so the same bits.
 * Arrays are one dtype; [n, h] matrices are row-major, vectors [h].
 */
export interface LayerKernels {
  /** batchStatistics (layers/src/batchnorm.ts): mean and biased variance of a [n, h], summed in float64. */
  batchStatistics(a: TypedArray, h: number, mean: TypedArray, variance: TypedArray): void;
  /** batchnormReluInPlace (layers/src/kernels/fused-norm.ts): a becomes x̂; out = max(γ·x̂ + β, 0). */
  batchnormRelu(
    a: TypedArray,
    mean: TypedArray,
    variance: TypedArray,
    gamma: TypedArray,
    beta: TypedArray,
    sqrtvar: TypedArray,
    ivar: TypedArray,
    out: TypedArray,
    eps: number,
  ): void;
  /** batchnormBackwardInPlace (fused-norm.ts): dh holds dy on entry and dx on exit. */
  batchnormBackward(
    dh: TypedArray,
    xhat: TypedArray,
    gamma: TypedArray,
    ivar: TypedArray,
    dgamma: TypedArray,
    dbeta: TypedArray,
  ): void;
  /** The L2 pass of FullyConnectedNet.loss: returns Σ w² (summed in order, in float64); dw += reg·w. */
  l2(w: TypedArray, dw: TypedArray, reg: number): number;
  /** biasReluInPlace (relu true) or biasAddInPlace (fused-layers.ts): a [n, h] += b [h], then ReLU. */
  biasRelu(a: TypedArray, b: TypedArray, relu: boolean): void;
  /** reluBackwardInPlace (fused-layers.ts): dh where out > 0 (its bits untouched), else +0. */
  reluBackward(dh: TypedArray, out: TypedArray): void;
  /** columnSumsInto (fused-layers.ts): sums [h] = Σₙ dout [n, h], accumulated in their dtype. */
  columnSums(sums: TypedArray, dout: TypedArray): void;
}

/** The kernels ops dispatch to. Ops validate; a backend only loops over typed arrays. */
export interface Backend {
  readonly name: string;
  readonly matmul: MatmulKernel;
  /** Optional: two independent products at once (see MatmulPairKernel); without it, one after the other. */
  readonly matmulPair?: MatmulPairKernel;
  /**
   * Optional: runs fn with `array` kept in the backend's own memory, copied there at most once, for the
   * products of fn that read it as their A operand (the wasm backend copies every operand in each call
   * otherwise). fn must not change `array`: the products would read the copy made before the change.
   * Without it, callers just run fn.
   */
  readonly withResident?: <T>(array: TypedArray, fn: () => T) => T;
  /** Optional: an Adam update kernel (see AdamKernel); without one the optimizer loops in JavaScript. */
  readonly adam?: AdamKernel;
  /** Optional: the fused net's normalization and regularization loops (see LayerKernels). */
  readonly layers?: LayerKernels;
}

export const typescriptBackend: Backend = { name: 'typescript', matmul: matmulBlocked };
export const naiveBackend: Backend = { name: 'naive', matmul: matmulNaive };

/** Values of the BACKPROP_LAB_BACKEND environment variable. */
export const BACKEND_NAMES = ['native', 'wasm', 'typescript', 'naive'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * The fastest backend this runtime can run: the native kernels (@backprop-lab/tensor-native, built at
 * install where a C compiler is present), else WebAssembly SIMD on up to two threads, else the TypeScript
 * blocked kernel. All three give the same float64 results bit for bit; in float32 the native and wasm
 * kernels accumulate in float32 (same bits as each other), the TypeScript one in float64, so its float32
 * results differ in the last bits.
 */
export function fastestBackend(): Backend {
  if (nativeAvailable()) return nativeBackend();
  return wasmAvailable() ? wasmBackend() : typescriptBackend;
}

/** The backend a BACKPROP_LAB_BACKEND value names; unset or empty means the fastest available. */
export function backendFromEnv(value: string | undefined): Backend {
  if (value === undefined || value === '') return fastestBackend();
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

// globalThis.process: a browser has no process, and the fastest backend there is chosen by default.
let current: Backend = backendFromEnv(globalThis.process?.env.BACKPROP_LAB_BACKEND);

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
