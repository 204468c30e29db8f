import type { AdamKernelArgs } from '../../backend.js';
import type { TypedArray } from '../../dtype.js';
import {
  type AdamEntry,
  copyIn,
  copyOut,
  type Engine,
  ensureCapacity,
  getEngine,
  MEMORY_BUDGET,
} from './engine.js';
import { type Job, OP_ADAM_F32, OP_ADAM_F64, type WorkerPool } from './pool.js';

/** Elements per chunk: 4 arrays × 8192 × 8 bytes = 256 KiB, inside a 1 MiB L2. */
export const ADAM_CHUNK = 8192;

/**
 * Adam's update of one parameter in place on the WebAssembly SIMD kernel (assembly/adam.as): the same
 * operations in the same order as packages/optim's readable loop, so the same bits, in both dtypes.
 * On this thread, w, dw, m and v are copied in and w, m, v out a chunk at a time: a chunk of the four
 * arrays stays in L2 between copying in, computing and copying out. Given `workers`, a worker updates
 * half of a large parameter (which thread computes an element changes nothing: each is on its own).
 * Returns false where the engine cannot run.
 */
export function adamWasm(
  w: TypedArray,
  dw: TypedArray,
  m: TypedArray,
  v: TypedArray,
  args: AdamKernelArgs,
  workers: WorkerPool | null = null,
): boolean {
  const engine = getEngine();
  if (!engine) return false;
  const size = w.BYTES_PER_ELEMENT;
  const entry = size === 4 ? engine.kernel.adamF32 : engine.kernel.adamF64;
  // Split, the four arrays are in the memory whole: up to the budget a matmul may use (256 MiB).
  const splitEnd = engine.freeStart + 4 * Math.ceil((w.length * size) / 64) * 64;
  if (workers && w.length >= ADAM_PARALLEL_MIN && splitEnd <= Math.min(MEMORY_BUDGET, engine.maxBytes)) {
    adamSplit(engine, entry, w, dw, m, v, args, workers);
    return true;
  }
  const stride = ADAM_CHUNK * size;
  const [W, G, M, V] = [0, 1, 2, 3].map((i) => engine.freeStart + i * stride);
  ensureCapacity(engine, engine.freeStart + 4 * stride);
  const { lr, beta1, beta2, epsilon, inverseCorrection1: c1, inverseCorrection2: c2 } = args;
  const n = w.length;
  for (let start = 0; start < n; start += ADAM_CHUNK) {
    const end = Math.min(n, start + ADAM_CHUNK);
    const count = end - start;
    copyIn(engine, w.subarray(start, end), W);
    copyIn(engine, dw.subarray(start, end), G);
    copyIn(engine, m.subarray(start, end), M);
    copyIn(engine, v.subarray(start, end), V);
    entry(W, G, M, V, count, lr, beta1, beta2, epsilon, c1, c2);
    copyOut(engine, w, start, W, count);
    copyOut(engine, m, start, M, count);
    copyOut(engine, v, start, V, count);
  }
  return true;
}

/** From this many elements on, a worker updates half of them (given one). */
export const ADAM_PARALLEL_MIN = 4 * ADAM_CHUNK;

/**
 * The second half on a worker, the first on this thread. The worker's half is copied in first so that
 * it starts while this thread copies in its own; this thread copies its half out while the worker may
 * still be computing.
 */
function adamSplit(
  engine: Engine,
  entry: AdamEntry,
  w: TypedArray,
  dw: TypedArray,
  m: TypedArray,
  v: TypedArray,
  args: AdamKernelArgs,
  workers: WorkerPool,
): void {
  const size = w.BYTES_PER_ELEMENT;
  const n = w.length;
  const half = n >> 1;
  const bytes = Math.ceil((n * size) / 64) * 64;
  const [W, G, M, V] = [0, 1, 2, 3].map((i) => engine.freeStart + i * bytes);
  ensureCapacity(engine, engine.freeStart + 4 * bytes);
  const inputs = [
    [w, W],
    [dw, G],
    [m, M],
    [v, V],
  ] as const;
  const copyRangeIn = (from: number, to: number) => {
    for (const [array, at] of inputs) copyIn(engine, array.subarray(from, to), at + from * size);
  };
  const copyRangeOut = (from: number, to: number) => {
    for (const [array, at] of [inputs[0], inputs[2], inputs[3]]) {
      copyOut(engine, array, from, at + from * size, to - from);
    }
  };
  const { lr, beta1, beta2, epsilon, inverseCorrection1: c1, inverseCorrection2: c2 } = args;
  copyRangeIn(half, n);
  const offset = half * size;
  const job: Job = {
    op: size === 4 ? OP_ADAM_F32 : OP_ADAM_F64,
    args: [W + offset, G + offset, M + offset, V + offset, n - half],
    floats: [lr, beta1, beta2, epsilon, c1, c2],
  };
  workers.run([job], () => {
    copyRangeIn(0, half);
    entry(W, G, M, V, half, lr, beta1, beta2, epsilon, c1, c2);
    copyRangeOut(0, half);
  });
  copyRangeOut(half, n);
}
