import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { backendFromEnv, fastestBackend } from '../../backend.js';
import { matmulBlocked } from '../matmul-blocked.js';
import { firstDifference, normwiseError, operands, product } from '../testing/products.js';
import { shutdownWasmThreads, wasmBackend } from '../wasm/wasm-backend.js';
import { nativeAvailable, nativeBackend, nativeUnavailableReason } from './native-backend.js';

afterAll(() => shutdownWasmThreads());

const single = () => nativeBackend({ threads: 1 });
const threaded = () => nativeBackend({ threads: 2, parallelMin: 0 });
const TRAINING: [[number, number, number], boolean, boolean][] = [
  [[200, 100, 3072], false, false],
  [[3072, 100, 200], true, false],
  [[200, 3072, 100], false, true],
  [[200, 100, 100], false, true],
];

it('loads the native kernels on this machine (built by pnpm install)', () => {
  expect(nativeUnavailableReason()).toBeNull();
  expect(nativeAvailable()).toBe(true);
  expect(fastestBackend().name).toMatch(/^native-/);
  expect(backendFromEnv('native').name).toMatch(/^native-/);
});

// float32 is held to the same bits within a backend, not across them: the native AVX2 and AVX-512
// float32 kernels fuse each multiply-add (one rounding per step where wasm rounds twice), in the same
// order. So float32 is compared with the wasm kernel within a tolerance: the two sums of k ≤ 600 products
// differ by far less than k·2⁻²⁴ of the largest output (normwise); a wrong sum misses by O(1).
const FLOAT32_TOLERANCE = 1e-5;

describe('native backend: the same bits as the other kernels in float64, the same result in float32', () => {
  it('float64 equals matmulBlocked bit for bit, on 1 to 4 threads, random shapes and every transpose', () => {
    fc.assert(
      fc.property(
        // Past every tile's edge (up to 12 rows, 32 columns) and, for m, one MC block (120 rows).
        fc.integer({ min: 1, max: 150 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 0, max: 600 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer(),
        (m, n, k, transA, transB, seed) => {
          const want = product(matmulBlocked, [m, n, k], transA, transB, 'float64', seed);
          for (const backend of [
            single(),
            ...[2, 3, 4].map((threads) => nativeBackend({ threads, parallelMin: 0 })),
          ]) {
            const got = product(backend.matmul, [m, n, k], transA, transB, 'float64', seed);
            expect(firstDifference(got, want), backend.name).toBe(-1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('float32 gives the same bits on 1 to 4 threads, within a rounding tolerance of the wasm kernel', () => {
    const wasm = wasmBackend({ threads: 1 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 0, max: 600 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer(),
        (m, n, k, transA, transB, seed) => {
          const want = product(single().matmul, [m, n, k], transA, transB, 'float32', seed);
          const reference = product(wasm.matmul, [m, n, k], transA, transB, 'float32', seed);
          expect(normwiseError(want, reference)).toBeLessThan(FLOAT32_TOLERANCE);
          for (const threads of [2, 3, 4]) {
            const got = product(
              nativeBackend({ threads, parallelMin: 0 }).matmul,
              [m, n, k],
              transA,
              transB,
              'float32',
              seed,
            );
            expect(firstDifference(got, want), `${threads} threads`).toBe(-1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives the same bits on the training shapes whatever the thread count, in both dtypes', () => {
    const wasm = wasmBackend({ threads: 1 });
    for (const [dims, transA, transB] of TRAINING) {
      const label = `${dims.join('×')} transA=${transA} transB=${transB}`;
      const want64 = product(matmulBlocked, dims, transA, transB, 'float64', 7);
      const want32 = product(single().matmul, dims, transA, transB, 'float32', 7);
      expect(
        normwiseError(want32, product(wasm.matmul, dims, transA, transB, 'float32', 7)),
        label,
      ).toBeLessThan(FLOAT32_TOLERANCE);
      for (const threads of [1, 2, 3, 4]) {
        const backend = nativeBackend({ threads, parallelMin: 0 });
        expect(
          firstDifference(product(backend.matmul, dims, transA, transB, 'float64', 7), want64),
          label,
        ).toBe(-1);
        expect(
          firstDifference(product(backend.matmul, dims, transA, transB, 'float32', 7), want32),
          label,
        ).toBe(-1);
      }
    }
  });

  it('matmulPair gives each product the bits matmul gives it, small (one per thread) and large (each split)', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const scale of [1, 8]) {
        const dims1: [number, number, number] = [20 * scale, 30, 40];
        const dims2: [number, number, number] = [25, 35 * scale, 45];
        const backend = threaded();
        const first = operands(dims1, true, false, dtype, 1);
        const second = operands(dims2, false, true, dtype, 2);
        const out1 =
          dtype === 'float32' ? new Float32Array(dims1[0] * dims1[1]) : new Float64Array(dims1[0] * dims1[1]);
        const out2 =
          dtype === 'float32' ? new Float32Array(dims2[0] * dims2[1]) : new Float64Array(dims2[0] * dims2[1]);
        backend.matmulPair?.(
          { ...first, out: out1, m: dims1[0], n: dims1[1], k: dims1[2], transA: true, transB: false },
          { ...second, out: out2, m: dims2[0], n: dims2[1], k: dims2[2], transA: false, transB: true },
        );
        expect(firstDifference(out1, product(single().matmul, dims1, true, false, dtype, 1))).toBe(-1);
        expect(firstDifference(out2, product(single().matmul, dims2, false, true, dtype, 2))).toBe(-1);
      }
    }
  });
});

describe('native backend: argument errors', () => {
  it('rejects unknown options and bad thread counts with the option named', () => {
    expect(() => nativeBackend({ thread: 2 } as never)).toThrow(/unknown option 'thread'/);
    expect(() => nativeBackend({ threads: 0 })).toThrow(/threads must be an integer in 1…16, got 0/);
    expect(() => nativeBackend({ parallelMin: -1 })).toThrow(/parallelMin must be a number ≥ 0/);
  });

  it('refuses arrays shorter than their shape or of mixed element types instead of reading past them', () => {
    const backend = single();
    const a = new Float64Array(6);
    expect(() => backend.matmul(a, new Float64Array(6), new Float64Array(3), 2, 2, 3, false, false)).toThrow(
      /shorter than its shape/,
    );
    expect(() => backend.matmul(a, new Float32Array(6), new Float64Array(4), 2, 2, 3, false, false)).toThrow(
      /one element type/,
    );
  });
});
