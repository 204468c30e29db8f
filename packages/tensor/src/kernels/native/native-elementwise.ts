import { BINARY_OPS, type NativeKernels, PATTERNS, UNARY_OPS } from '@backprop-lab/tensor-native';
import type { ElementwiseKernels, Pattern } from '../types.js';

const indexOf = <T extends string>(names: readonly T[]) => new Map(names.map((name, index) => [name, index]));
const BINARY = indexOf<string>(BINARY_OPS);
const UNARY = indexOf<string>(UNARY_OPS);
const PATTERN = indexOf<Pattern>(PATTERNS);

/**
 * From this many output elements on, an elementwise op is split over the pool's threads. Measured on 2
 * loaded cores (bench/elementwise.ts): below it the wake-up costs more than the second core saves.
 */
export const NATIVE_ELEMENTWISE_PARALLEL_MIN = 65536;

/**
 * The elementwise loops of the native addon for ops of at least `min` output elements; smaller ones, and
 * ops the addon lacks (pow, exp, log), are declined. Large ones run on `threads` threads.
 */
export function nativeElementwise(kernels: NativeKernels, min: number, threads: number): ElementwiseKernels {
  const pattern = (p: Pattern) => PATTERN.get(p) as number;
  // The pool is the process's, shared with other backends: only a call large enough to split checks it.
  const split = (size: number) => {
    if (size < NATIVE_ELEMENTWISE_PARALLEL_MIN) return;
    if (kernels.threads() !== threads) kernels.setThreads(threads);
    kernels.setElementwiseParallelMin(NATIVE_ELEMENTWISE_PARALLEL_MIN);
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
