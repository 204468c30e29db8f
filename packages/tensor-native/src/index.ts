import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A Float64Array or Float32Array: the kernels take one element type per call. */
export type FloatArray = Float64Array | Float32Array;

/**
 * The native kernels (C, compiled at install; see native/). Every array is read or written in place.
 * Shapes are not validated beyond memory safety: @backprop-lab/tensor checks them first.
 */
export interface NativeKernels {
  /** out[m, n] = op(a) · op(b), a [m, k] ([k, m] when transA), b [k, n] ([n, k] when transB). */
  gemm(
    a: FloatArray,
    b: FloatArray,
    out: FloatArray,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
  ): void;
  /** Two independent products, at once on two threads when both are small (each with gemm's bits). */
  gemmPair(
    a1: FloatArray,
    b1: FloatArray,
    out1: FloatArray,
    m1: number,
    n1: number,
    k1: number,
    transA1: boolean,
    transB1: boolean,
    a2: FloatArray,
    b2: FloatArray,
    out2: FloatArray,
    m2: number,
    n2: number,
    k2: number,
    transA2: boolean,
    transB2: boolean,
  ): void;
  /** Adam's update of w, m, v in place (c1 = 1/(1−β1ᵗ), c2 = 1/(1−β2ᵗ)), the bits of optim's loop. */
  adam(
    w: FloatArray,
    dw: FloatArray,
    m: FloatArray,
    v: FloatArray,
    lr: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    c1: number,
    c2: number,
  ): void;
  /** batchStatistics of a [n, h] (layers' batchnorm.ts): mu and biased variance [h], sums in float64. */
  bnStats(a: FloatArray, h: number, mu: FloatArray, variance: FloatArray): void;
  /** batchnormReluInPlace (layers' fused-norm.ts): a [n, h] becomes x̂, out = max(γ·x̂ + β, 0). */
  bnRelu(
    a: FloatArray,
    mean: FloatArray,
    variance: FloatArray,
    gamma: FloatArray,
    beta: FloatArray,
    sqrtvar: FloatArray,
    ivar: FloatArray,
    out: FloatArray,
    eps: number,
  ): void;
  /** batchnormBackwardInPlace (layers' fused-norm.ts): dh holds dy on entry, dx on exit. */
  bnBackward(
    dh: FloatArray,
    xhat: FloatArray,
    gamma: FloatArray,
    ivar: FloatArray,
    dgamma: FloatArray,
    dbeta: FloatArray,
  ): void;
  /** The regularization pass of layers' fc-net.ts: returns Σ w² (in order, float64), adds reg·w to dw. */
  l2(w: FloatArray, dw: FloatArray, reg: number): number;
  /** biasReluInPlace (relu true) or biasAddInPlace (layers' fused-layers.ts): a [n, h] += b [h]. */
  biasRelu(a: FloatArray, b: FloatArray, relu: boolean): void;
  /** reluBackwardInPlace (fused-layers.ts): dh where out > 0 (bits untouched), else +0. */
  reluBackward(dh: FloatArray, out: FloatArray): void;
  /** columnSumsInto (fused-layers.ts): sums [h] = Σₙ dout [n, h], accumulated in the arrays' type. */
  columnSums(sums: FloatArray, dout: FloatArray): void;
  /** Sets how many threads (the caller's included) a large product is split over; returns the previous count. */
  setThreads(threads: number): number;
  threads(): number;
  /** Sets from how many multiply-adds (m·n·k) on a product is split; returns the previous value. */
  setParallelMin(multiplyAdds: number): number;
  /** The micro-kernel this CPU runs: 'avx2', or 'generic' (plain C vectors) elsewhere. */
  readonly kernel: 'avx2' | 'generic';
}

/** What loading the addon gave: the kernels, or why there are none. */
export type NativeStatus =
  | { available: true; kernels: NativeKernels; path: string }
  | { available: false; reason: string; path: string };

/** Where node-gyp puts the addon (the same from src/ and dist/). */
export const ADDON_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'build',
  'Release',
  'backprop_native.node',
);

let status: NativeStatus | undefined;

/**
 * Loads the addon once, from ADDON_PATH or, for a program bundled into one file (where this module's own
 * location says nothing), from the path in BACKPROP_LAB_NATIVE_ADDON. Not available when
 * BACKPROP_LAB_NATIVE=0, when it was not built (no compiler at install time: the install script said why),
 * or when it fails to load; `reason` says which.
 */
export function loadNative(): NativeStatus {
  if (status) return status;
  const override = process.env.BACKPROP_LAB_NATIVE_ADDON;
  const path = override ? resolve(override) : ADDON_PATH;
  if (process.env.BACKPROP_LAB_NATIVE === '0') {
    status = { available: false, reason: 'disabled by BACKPROP_LAB_NATIVE=0', path };
  } else if (!existsSync(path)) {
    status = {
      available: false,
      reason: `not built (no ${path}; run pnpm --filter @backprop-lab/tensor-native build:native)`,
      path,
    };
  } else {
    try {
      const kernels = createRequire(import.meta.url)(path) as NativeKernels;
      status = { available: true, kernels, path };
    } catch (error) {
      status = { available: false, reason: `not loadable: ${(error as Error).message}`, path };
    }
  }
  return status;
}
