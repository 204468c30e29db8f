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
  /**
   * tensor's momentStepInPlace, its bits (float32 arrays computed in float32): m = d1·m + (1−d1)·g; v = d2·v + (1−d2)·g²;
   * w −= rate·(m·c1) / (√(v·c2) + ε), in place (Adam's update, c1 = 1/(1−β1ᵗ), c2 = 1/(1−β2ᵗ)).
   */
  momentStep(
    w: FloatArray,
    g: FloatArray,
    m: FloatArray,
    v: FloatArray,
    rate: number,
    decay1: number,
    decay2: number,
    epsilon: number,
    c1: number,
    c2: number,
  ): void;
  /**
   * out[i] = op(x, y) over the output viewed as [rows, cols], each operand read as its pattern (PATTERNS)
   * says; op is an index into BINARY_OPS. The bits of tensor's JavaScript loops (elementwise-loops.ts).
   */
  binary(
    op: number,
    out: FloatArray,
    rows: number,
    cols: number,
    x: FloatArray,
    patternX: number,
    y: FloatArray,
    patternY: number,
  ): void;
  /** out[i] = op(x[i]); op is an index into UNARY_OPS. */
  unary(op: number, out: FloatArray, x: FloatArray): void;
  /** out = condition !== 0 ? a : b, read as in binary. */
  where(
    out: FloatArray,
    rows: number,
    cols: number,
    condition: FloatArray,
    patternCondition: number,
    a: FloatArray,
    patternA: number,
    b: FloatArray,
    patternB: number,
  ): void;
  /**
   * out[o, i] = op over k of x[o, k, i] (x [outer, length, inner], out [outer, inner]); op is an index
   * into REDUCE_OPS. The summation order, so the bits, of tensor's reduce.ts.
   */
  reduce(op: number, out: FloatArray, x: FloatArray, outer: number, length: number, inner: number): void;
  /** Σ a[k]·b[k] in double over eight running sums: tensor's vdot, its bits. a and b: one type, one length. */
  vdot(a: FloatArray, b: FloatArray): number;
  /** target[i] += alpha · x[i] in place, in double, rounded on the store: tensor's addScaledInPlace, its bits. */
  addScaled(target: FloatArray, x: FloatArray, alpha: number): void;
  /** Sets from how many elements on an elementwise call is split over threads; returns the previous value. */
  setElementwiseParallelMin(elements: number): number;
  /** Sets how many threads (the caller's included) a large product is split over; returns the previous count. */
  setThreads(threads: number): number;
  threads(): number;
  /** Sets from how many multiply-adds (m·n·k) on a product is split; returns the previous value. */
  setParallelMin(multiplyAdds: number): number;
  /**
   * The micro-kernel this process runs: 'avx512' or 'avx2' by what the CPU has, 'generic' (plain C vectors)
   * elsewhere; BACKPROP_LAB_GEMM_KERNEL=avx2 (or generic) picks a lesser one, to compare them.
   */
  readonly kernel: 'avx512' | 'avx2' | 'generic';
}

/**
 * How binary, unary and where read an operand for element (r, c) of the [rows, cols] output: the index of
 * its pattern here. full x[i], scalar x[0], row x[c] (broadcast over rows), column x[r].
 */
export const PATTERNS = ['full', 'scalar', 'row', 'column'] as const;
/** The binary ops of the addon, by index (native/elementwise.h's enum ew_binary). */
export const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'maximum',
  'minimum',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'equal',
  'notEqual',
] as const;
/** The unary ops, by index. Not exp or log: C's libm does not round them as V8 does. */
export const UNARY_OPS = ['neg', 'square', 'sqrt', 'abs'] as const;

/** The reductions, by index (native/reduce.h). */
export const REDUCE_OPS = ['sum', 'mean', 'variance'] as const;

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
 * when it fails to load, or when BACKPROP_LAB_GEMM_KERNEL names a kernel this CPU cannot run; `reason` says which.
 */
export function loadNative(): NativeStatus {
  if (status) return status;
  const override = process.env.BACKPROP_LAB_NATIVE_ADDON;
  const path = override ? resolve(override) : ADDON_PATH;
  // With the override, every reason names the variable: the user set it and must find what is wrong.
  const where = override ? `BACKPROP_LAB_NATIVE_ADDON=${override}: ` : '';
  if (process.env.BACKPROP_LAB_NATIVE === '0') {
    status = { available: false, reason: 'disabled by BACKPROP_LAB_NATIVE=0', path };
  } else if (!existsSync(path)) {
    const reason = override
      ? `${where}no such file`
      : `not built (no ${path}; run pnpm --filter @backprop-lab/tensor-native build:native)`;
    status = { available: false, reason, path };
  } else {
    status = checkKernel(loadAddon(path, where), process.env.BACKPROP_LAB_GEMM_KERNEL);
  }
  return status;
}

/** The micro-kernels, least to best; BACKPROP_LAB_GEMM_KERNEL may name one to compare it with the best. */
const KERNELS = ['generic', 'avx2', 'avx512'] as const;

/** The addon runs the kernel BACKPROP_LAB_GEMM_KERNEL names (its C side chose it), else it is a mistake. */
function checkKernel(loaded: NativeStatus, wanted: string | undefined): NativeStatus {
  if (!loaded.available || !wanted || loaded.kernels.kernel === wanted) return loaded;
  const reason = (KERNELS as readonly string[]).includes(wanted)
    ? `BACKPROP_LAB_GEMM_KERNEL=${wanted}: this CPU runs at most ${loaded.kernels.kernel}`
    : `BACKPROP_LAB_GEMM_KERNEL=${wanted}: expected one of ${KERNELS.join(', ')}`;
  return { available: false, reason, path: loaded.path };
}

/** Functions every build of this addon exports: another addon at the path lacks some of them. */
const EXPORTS = [
  'gemm',
  'gemmPair',
  'momentStep',
  'setThreads',
  'threads',
  'setParallelMin',
  'binary',
  'unary',
  'where',
  'reduce',
  'vdot',
  'addScaled',
  'setElementwiseParallelMin',
] as const;

function loadAddon(path: string, where: string): NativeStatus {
  let kernels: NativeKernels;
  try {
    kernels = createRequire(import.meta.url)(path) as NativeKernels;
  } catch (error) {
    // dlopen's message can run over lines (and repeat the path): its first line says enough.
    const first = String((error as Error).message).split('\n')[0];
    return { available: false, reason: `${where}not loadable as a Node addon: ${first}`, path };
  }
  const missing = EXPORTS.filter((name) => typeof kernels?.[name] !== 'function');
  if (missing.length > 0) {
    const reason = `${where}not backprop-lab's native addon (or an older build): it lacks ${missing.join(', ')}`;
    return { available: false, reason, path };
  }
  return { available: true, kernels, path };
}
