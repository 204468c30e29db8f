// The kernel interfaces: a leaf module (it imports only dtype's types), so backend.ts and every backend
// import it without a cycle. A kernel is a loop over typed arrays; the op before it validated everything.
import type { DType, TypedArray } from '../dtype.js';

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

/**
 * Settings of MomentStepKernel: decay1, decay2 the moving averages' decays, correction1, correction2 the
 * factors the moments are rescaled by before use, rate the step size, epsilon the denominator's floor.
 */
export interface MomentStepArgs {
  rate: number;
  decay1: number;
  decay2: number;
  epsilon: number;
  correction1: number;
  correction2: number;
}

/**
 * momentStepInPlace's loop (inplace.ts) over w, g, m, v (one dtype and length), with its operations in its
 * order, so the same bits (float32 arrays: every operation in float32). Returns false when it declines, and the op runs its own loop.
 */
export type MomentStepKernel = (
  w: TypedArray,
  g: TypedArray,
  m: TypedArray,
  v: TypedArray,
  args: MomentStepArgs,
) => boolean;

/**
 * Where an operand's value for output element (r, c) of the [R, C] view of the output is:
 * 'full' the operand has the output's shape (x[i]), 'scalar' one element (x[0]),
 * 'row' it spans the trailing axes, broadcast over the leading ones (x[c], e.g. a bias [D] against
 * [N, D]), 'column' it spans the leading axes, broadcast over the trailing ones (x[r], e.g. [N, 1]).
 */
export type Pattern = 'full' | 'scalar' | 'row' | 'column';

/**
 * Loops of the elementwise ops over the output viewed as [rows, cols], each operand read as its pattern
 * says, writing the output array the op allocated. `op` is the op's name (add, maximum, neg, …). Each
 * gives the bits of the op's JavaScript loop (elementwise-loops.ts), or returns false when it declines
 * (an op it lacks, an array too small to pay for the call) and the op runs its JavaScript loop.
 */
export interface ElementwiseKernels {
  binary(
    op: string,
    out: TypedArray,
    rows: number,
    cols: number,
    patterns: readonly Pattern[],
    x: TypedArray,
    y: TypedArray,
  ): boolean;
  unary(op: string, out: TypedArray, x: TypedArray): boolean;
  /** out = condition !== 0 ? a : b; patterns are condition's, a's, b's. */
  where(
    out: TypedArray,
    rows: number,
    cols: number,
    patterns: readonly Pattern[],
    condition: TypedArray,
    a: TypedArray,
    b: TypedArray,
  ): boolean;
}

/**
 * out[o, i] = op over k of x[o, k, i], x viewed as [outer, length, inner], out as [outer, inner], for the
 * reduction named `op` (sum, mean, variance, …) with the summation order of reduce.ts, so its bits.
 * Returns false when it declines (an op it lacks, a size where it would not be faster).
 */
export type ReduceKernel = (
  op: string,
  out: TypedArray,
  x: TypedArray,
  outer: number,
  length: number,
  inner: number,
) => boolean;

/** addScaledInPlace's loop: target[i] += alpha · x[i] in float64, rounded on the store. false: declined. */
export type AddScaledKernel = (target: TypedArray, x: TypedArray, alpha: number) => boolean;

/**
 * vdot's sum (reduce.ts) of a[k]·b[k] over two arrays of one dtype and length, in its order (eight running
 * sums), so its bits; undefined when it declines.
 */
export type VdotKernel = (a: TypedArray, b: TypedArray) => number | undefined;

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
  /** Optional: momentStepInPlace's loop (see MomentStepKernel); without it the op loops in JavaScript. */
  readonly momentStep?: MomentStepKernel;
  /** Optional: addScaledInPlace's loop (see AddScaledKernel). */
  readonly addScaled?: AddScaledKernel;
  /** Optional: vdot's sum (see VdotKernel). */
  readonly vdot?: VdotKernel;
  /** Optional: elementwise loops (see ElementwiseKernels); without them the ops loop in JavaScript. */
  readonly elementwise?: ElementwiseKernels;
  /** Optional: reductions along an axis (see ReduceKernel); without it they loop in JavaScript. */
  readonly reduce?: ReduceKernel;
  /**
   * Optional: an uninitialized array of `size` elements for an op's output that the op then overwrites
   * whole, or undefined (the op then allocates a zeroed one). Zeroing a fresh array is a pass over memory
   * the op's own loop makes anyway: measured, the largest cost of a training step outside the products.
   */
  readonly allocateOutput?: (dtype: DType, size: number) => TypedArray | undefined;
}
