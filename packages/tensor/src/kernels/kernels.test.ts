// Every fast matmul kernel against the naive reference: the same suite for each (tfjs-style), on
// random shapes, edge shapes, all four transpose combinations, both dtypes and the training shapes.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { randn } from '../create.js';
import type { DType } from '../dtype.js';
import { createRng } from '../rng.js';
import { matmulBlocked } from './matmul-blocked.js';
import { matmulNaive } from './matmul-naive.js';
import { nativeBackend } from './native/native-backend.js';
import { normwiseError } from './testing/products.js';
import type { MatmulKernel } from './types.js';
import { shutdownWasmThreads, wasmAvailable, wasmBackend } from './wasm/wasm-backend.js';

const KERNELS: { name: string; run: MatmulKernel }[] = [
  { name: 'blocked (TS)', run: matmulBlocked },
  { name: 'wasm, 1 thread', run: wasmBackend({ threads: 1 }).matmul },
  // parallelMinFlops 0: even a 1×1×1 product is split, so the threaded path meets every edge case.
  { name: 'wasm, 2 threads', run: wasmBackend({ threads: 2, parallelMinFlops: 0 }).matmul },
  // The native kernels must be built on these machines (native/native-backend.test.ts says so plainly).
  { name: 'native, 1 thread', run: nativeBackend({ threads: 1 }).matmul },
  { name: 'native, 2 threads', run: nativeBackend({ threads: 2, parallelMin: 0 }).matmul },
  { name: 'native, 3 threads', run: nativeBackend({ threads: 3, parallelMin: 0 }).matmul },
];
/** Normwise relative error allowed: float32 accumulates k products with 2^-24 rounding each. */
const TOLERANCE: Record<DType, number> = { float64: 1e-12, float32: 1e-4 };

afterAll(() => shutdownWasmThreads());

const cache = new Map<string, ReturnType<typeof makeOperands>>();

/** Operands and the naive result, computed once per case: the training shapes take ~0.3 s naively. */
function operands(
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  dtype: DType,
  seed: number,
) {
  const key = [m, n, k, transA, transB, dtype, seed].join();
  let entry = cache.get(key);
  if (!entry) {
    entry = makeOperands(m, n, k, transA, transB, dtype, seed);
    if (m * n * k > 1e6) cache.set(key, entry);
  }
  return entry;
}

function makeOperands(
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  dtype: DType,
  seed: number,
) {
  const rng = createRng(seed);
  const a = randn(transA ? [k, m] : [m, k], rng, dtype).data;
  const b = randn(transB ? [n, k] : [k, n], rng, dtype).data;
  // The reference sums in float64 over the very same (possibly float32-rounded) inputs.
  const want = new Float64Array(m * n);
  matmulNaive(a, b, want, m, n, k, transA, transB);
  return { a, b, want };
}

function errorOf(
  kernel: MatmulKernel,
  dims: [number, number, number],
  transA: boolean,
  transB: boolean,
  dtype: DType,
  seed: number,
): number {
  const [m, n, k] = dims;
  const { a, b, want } = operands(m, n, k, transA, transB, dtype, seed);
  // NaN-filled: a kernel that accumulates into `out` instead of overwriting it fails.
  const got = dtype === 'float32' ? new Float32Array(m * n) : new Float64Array(m * n);
  got.fill(Number.NaN);
  kernel(a, b, got, m, n, k, transA, transB);
  return normwiseError(got, want);
}

const TRANSPOSES: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];
const EDGE_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 5, 3],
  [13, 17, 19],
  [33, 1, 65],
  [1, 40, 9],
  [1, 1, 700],
  [3, 2, 0],
  // Crosses every block edge of the wasm kernel (128 rows, 1024 columns, 256-deep k) off the tile grid.
  [131, 1030, 259],
  // Crosses the native kernel's (120 rows, 2048 columns) off its 6-row tile grid.
  [127, 2051, 257],
];

it('runs the WebAssembly SIMD kernel on this runtime (Node 20+ has it)', () => {
  expect(wasmAvailable()).toBe(true);
});

for (const kernel of KERNELS) {
  for (const dtype of ['float64', 'float32'] as const) {
    describe(`${kernel.name}, ${dtype}, against matmulNaive`, () => {
      it('agrees on 1 row, 1 column, odd and empty-k shapes, every transpose combination', () => {
        for (const [index, dims] of EDGE_SHAPES.entries()) {
          for (const [transA, transB] of TRANSPOSES) {
            const error = errorOf(kernel.run, dims, transA, transB, dtype, index);
            expect(error, `${dims.join('×')} transA=${transA} transB=${transB}`).toBeLessThan(
              TOLERANCE[dtype],
            );
          }
        }
      });

      it('agrees on random shapes, across block and tile boundaries', () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 70 }),
            fc.integer({ min: 1, max: 70 }),
            fc.integer({ min: 1, max: 600 }),
            fc.boolean(),
            fc.boolean(),
            fc.integer(),
            (m, n, k, transA, transB, seed) => {
              expect(errorOf(kernel.run, [m, n, k], transA, transB, dtype, seed)).toBeLessThan(
                TOLERANCE[dtype],
              );
            },
          ),
          { numRuns: 60 },
        );
      });

      it('agrees on the training shapes: x·W, xᵀ·dout and dout·Wᵀ', () => {
        expect(errorOf(kernel.run, [200, 100, 3072], false, false, dtype, 1)).toBeLessThan(TOLERANCE[dtype]);
        expect(errorOf(kernel.run, [3072, 100, 200], true, false, dtype, 2)).toBeLessThan(TOLERANCE[dtype]);
        expect(errorOf(kernel.run, [200, 3072, 100], false, true, dtype, 3)).toBeLessThan(TOLERANCE[dtype]);
      });
    });
  }
}
