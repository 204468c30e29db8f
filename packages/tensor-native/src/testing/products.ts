// Test support (not built into dist: tsconfig.build.json excludes src/**/testing/). The bits of a fixed
// set of products, so that a child process running another micro-kernel (BACKPROP_LAB_GEMM_KERNEL) can be
// compared with this one bit for bit.

import type { NativeKernels } from '../index.js';

/** A small deterministic generator, so this package needs nothing from @backprop-lab/tensor. */
export function filled<T extends Float64Array | Float32Array>(array: T, seed: number): T {
  let s = seed >>> 0;
  for (let i = 0; i < array.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    array[i] = s / 2 ** 32 - 0.5;
  }
  return array;
}

/**
 * [m, n, k]: edges of every tile (6 and 12 rows; 8, 16 and 32 columns), several MC (120-row) and k-blocks
 * (256 deep) with partial ones. Small, because the generic kernel is slow on x86 (tensor's tests run the
 * training shapes on the kernel the CPU picks).
 */
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [5, 7, 3],
  [13, 17, 257],
  [25, 33, 513],
  [121, 47, 300],
  [250, 100, 600],
  [37, 300, 40],
];

/** Every product of SHAPES, every transpose, on 1 to 4 threads, per element type: base64 of out's bytes. */
export function productBits(kernels: NativeKernels): { float64: string[]; float32: string[] } {
  const bits = { float64: [] as string[], float32: [] as string[] };
  const threads = kernels.threads();
  const parallelMin = kernels.setParallelMin(0);
  try {
    for (const [dtype, Type] of [
      ['float64', Float64Array],
      ['float32', Float32Array],
    ] as const) {
      for (const [m, n, k] of SHAPES) {
        const a = filled(new Type(m * k), m + k);
        const b = filled(new Type(k * n), n + k);
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            for (const count of [1, 2, 3, 4]) {
              kernels.setThreads(count);
              const out = new Type(m * n).fill(Number.NaN);
              kernels.gemm(a, b, out, m, n, k, transA, transB);
              bits[dtype].push(Buffer.from(out.buffer).toString('base64'));
            }
          }
        }
      }
    }
  } finally {
    kernels.setThreads(threads);
    kernels.setParallelMin(parallelMin);
  }
  return bits;
}

/** productBits' float32 entry back to numbers. */
export function float32Of(bits: string): Float32Array {
  const bytes = Buffer.from(bits, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}
