import { BINARY_OPS, type NativeKernels, PATTERNS, REDUCE_OPS, UNARY_OPS } from '@backprop-lab/tensor-native';
import type { ElementwiseKernels, Pattern, ReduceKernel } from '../types.js';

const indexOf = <T extends string>(names: readonly T[]) => new Map(names.map((name, index) => [name, index]));
const BINARY = indexOf<string>(BINARY_OPS);
const UNARY = indexOf<string>(UNARY_OPS);
const PATTERN = indexOf<Pattern>(PATTERNS);
const REDUCE = indexOf<string>(REDUCE_OPS);

/**
 * From this many output elements on, an elementwise op is split over the pool's threads. Measured on 2
 * cores at load 19 (min of 100): waking the second thread cost ~50 µs, more than a whole add of 307 200
 * float32 (55 µs on one thread, 108 on two); only maximum of 614 400 gained (176 → 135 µs). Loops this
 * simple are bound by memory, so a split pays only on arrays larger than the nets here use.
 */
export const NATIVE_ELEMENTWISE_PARALLEL_MIN = 2 ** 20;

/**
 * The elementwise loops of the native addon for ops of at least `min` output elements; smaller ones, and
 * ops the addon lacks (pow, exp, log), are declined. Large ones run on `threads` threads.
 */
export function nativeElementwise(kernels: NativeKernels, min: number, threads: number): ElementwiseKernels {
  const pattern = (p: Pattern) => PATTERN.get(p) as number;
  kernels.setElementwiseParallelMin(NATIVE_ELEMENTWISE_PARALLEL_MIN);
  // The pool is the process's, shared with other backends: only a call large enough to split checks it.
  const split = (size: number) => {
    if (size < NATIVE_ELEMENTWISE_PARALLEL_MIN) return;
    if (kernels.threads() !== threads) kernels.setThreads(threads);
  };
  return {
    binary(op, out, rows, cols, patterns, x, y) {
      const code = BINARY.get(op);
      if (code === undefined || out.length < min) return false;
      split(out.length);
      kernels.binary(code, out, rows, cols, x, pattern(patterns[0]), y, pattern(patterns[1]));
      return true;
    },
    unary(op, out, x) {
      const code = UNARY.get(op);
      if (code === undefined || out.length < min) return false;
      split(out.length);
      kernels.unary(code, out, x);
      return true;
    },
    where(out, rows, cols, patterns, condition, a, b) {
      if (out.length < min) return false;
      split(out.length);
      const [pc, pa, pb] = [pattern(patterns[0]), pattern(patterns[1]), pattern(patterns[2])];
      kernels.where(out, rows, cols, condition, pc, a, pa, b, pb);
      return true;
    },
  };
}

/**
 * The addon's sums, means and variances for inputs of at least `min` elements. Many outputs' sums run side
 * by side; one sum along the whole tensor runs one add after another, as in JavaScript, which C does at the
 * add's latency where V8 does not on a Float32Array (sum of 307 200 elements: float32 499 → 167 µs,
 * float64 175 → 163 µs; the L2 term of workload W sums every weight each step).
 */
export function nativeReduce(kernels: NativeKernels, min: number): ReduceKernel {
  return (op, out, x, outer, length, inner) => {
    const code = REDUCE.get(op);
    if (code === undefined || x.length < min) return false;
    kernels.reduce(code, out, x, outer, length, inner);
    return true;
  };
}
